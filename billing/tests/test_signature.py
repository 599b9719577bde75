from billing.midtrans import signature_for, signature_valid

VECTOR = (
    "946f4f05492a9c9384cd0eb5088c8bea49f8ba5f6a6fa5933a7815297695495b"
    "c3ad9f1fdc32a54d9ffd58386026ea524cd3e25b8e145cb7586900e06e0f3a9d"
)


def test_signature_matches_the_documented_vector():
    signature = signature_for(
        order_id="Postman-1578568851",
        status_code="200",
        gross_amount="10000.00",
        server_key="SB-Mid-server-TEST",
    )
    assert signature == VECTOR


def test_signature_covers_the_exact_amount_string(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-TEST"
    payload = {"order_id": "Postman-1578568851", "status_code": "200", "signature_key": VECTOR}
    assert signature_valid({**payload, "gross_amount": "10000.00"})
    assert not signature_valid({**payload, "gross_amount": "10000"})
    assert not signature_valid({**payload, "gross_amount": "10000.00", "status_code": "201"})
