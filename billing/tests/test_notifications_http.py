"""The notification endpoint over real HTTP (live server threads, PostgreSQL, the Midtrans fake)."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.utils import timezone

from accounts.models import AuditEntry
from billing.models import Transaction, TransactionEvent
from billing.services import pending_reconcile, transaction_start
from core.units import GIB
from quota.models import QuotaBalance, QuotaEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(http_server):
    return f"{http_server}/billing/midtrans/notification/"


def post_all(url, payloads, workers=50):
    """POST every payload at (nearly) the same moment; returns the HTTP statuses."""
    barrier = threading.Barrier(min(workers, len(payloads)))

    def post(payload):
        with requests.Session() as session:
            barrier.wait(timeout=10)
            return session.post(url, json=payload, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(post, payloads))


def purchases_of(user):
    return QuotaEntry.objects.filter(user=user, kind=QuotaEntry.Kind.PURCHASE)


def test_fifty_identical_notifications_apply_the_package_once(endpoint, midtrans_fake, started, outbox):
    midtrans_fake.pay(started.order_id, "settlement", payment_type="gopay")
    notification = midtrans_fake.notification(started.order_id)

    statuses = post_all(endpoint, [notification] * 50)

    assert statuses == [200] * 50
    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert started.payment_type == "gopay"
    assert purchases_of(started.user).count() == 1
    balance = QuotaBalance.objects.get(user=started.user)
    assert balance.purchased_bytes == 5 * GIB
    events = TransactionEvent.objects.filter(transaction=started, source="notification")
    assert events.count() == 50
    assert all(event.payload["notification"] == notification for event in events)  # as received
    receipts = [m for m in outbox if started.order_id in m["text"]]
    assert len(receipts) == 1 and receipts[0]["phone"] == started.user.phone
    assert timezone.localtime(balance.expires_at).strftime("%d-%m-%Y %H:%M") in receipts[0]["text"]


def test_interleaved_settlement_and_pending_leave_it_paid(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "pending")
    pending = midtrans_fake.notification(started.order_id)
    assert requests.post(endpoint, json=pending, timeout=10).status_code == 200
    midtrans_fake.pay(started.order_id, "settlement")
    settlement = midtrans_fake.notification(started.order_id)

    statuses = post_all(endpoint, [settlement, pending] * 10, workers=20)
    statuses.append(requests.post(endpoint, json=pending, timeout=10).status_code)

    assert set(statuses) == {200}
    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert purchases_of(started.user).count() == 1


def test_unlimited_package_is_applied_once(endpoint, midtrans_fake, resident, unlimited_package):
    tx = transaction_start(user=resident, package=unlimited_package)
    midtrans_fake.pay(tx.order_id, "capture", payment_type="credit_card", fraud_status="accept")

    statuses = post_all(endpoint, [midtrans_fake.notification(tx.order_id)] * 20, workers=20)

    assert statuses == [200] * 20
    balance = QuotaBalance.objects.get(user=resident)
    assert balance.is_unlimited and balance.rate_tier == "premium"
    assert AuditEntry.objects.filter(target_user=resident, action="quota.set_unlimited").count() == 1


def assert_nothing_changed(tx):
    tx.refresh_from_db()
    assert tx.status == Transaction.Status.PENDING
    assert not purchases_of(tx.user).exists()


def test_forged_signature_is_refused_and_changes_nothing(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    forged = midtrans_fake.notification(started.order_id, signature_key="0" * 128)

    response = requests.post(endpoint, json=forged, timeout=10)

    assert response.status_code == 403
    assert_nothing_changed(started)


def test_signature_made_with_another_key_is_refused(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    notification = midtrans_fake.notification(started.order_id)
    midtrans_fake.server_key = "SB-Mid-server-ATTACKER"
    notification["signature_key"] = midtrans_fake.sign(notification)

    assert requests.post(endpoint, json=notification, timeout=10).status_code == 403
    assert_nothing_changed(started)


def test_underpaid_notification_changes_nothing(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    # Correctly signed, but for less money than the order costs.
    underpaid = midtrans_fake.notification(started.order_id, gross_amount="1000.00")

    response = requests.post(endpoint, json=underpaid, timeout=10)

    assert response.status_code == 400
    assert_nothing_changed(started)


def test_status_api_reporting_another_amount_changes_nothing(endpoint, midtrans_fake, started):
    notification = midtrans_fake.pay(started.order_id, "settlement") and midtrans_fake.notification(
        started.order_id
    )
    midtrans_fake.orders[started.order_id]["gross_amount"] = "1000.00"

    assert requests.post(endpoint, json=notification, timeout=10).status_code == 400
    assert_nothing_changed(started)


def test_unknown_order_gets_404(endpoint, midtrans_fake, started):
    midtrans_fake.order_add("LPS-OTHER-1", 25000)
    midtrans_fake.pay("LPS-OTHER-1", "settlement")

    response = requests.post(endpoint, json=midtrans_fake.notification("LPS-OTHER-1"), timeout=10)

    assert response.status_code == 404
    assert_nothing_changed(started)


def malformed_bodies(valid):
    """Bodies that are not a notification: not JSON, not an object, wrong types, text PostgreSQL or UTF-8
    cannot hold, nesting deep enough to exhaust the parser, more than Django reads."""
    fields = ("order_id", "status_code", "gross_amount", "signature_key", "transaction_status")
    return [
        b"{not json",
        b"\xff\xfe",
        b"",
        b"[]",
        b'"settlement"',
        b"12345",
        b"null",
        b"true",
        json.dumps({"order_id": "x", "status_code": "200"}).encode(),
        json.dumps(dict.fromkeys(fields, 1)).encode(),
        json.dumps({**valid, "gross_amount": 25000}).encode(),
        json.dumps({**valid, "gross_amount": 25000.0}).encode(),
        json.dumps({**valid, "gross_amount": ["25000.00"]}).encode(),
        json.dumps({**valid, "gross_amount": {"value": "25000.00"}}).encode(),
        json.dumps({**valid, "gross_amount": None}).encode(),
        json.dumps({**valid, "order_id": "\ud800"}).encode(),  # a lone surrogate: not encodable
        json.dumps({**valid, "signature_key": "\udfff" * 128}).encode(),
        json.dumps({**valid, "status_message": "a\u0000b"}).encode(),  # PostgreSQL refuses NUL
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({**valid, "order_id": "A" * 100_000}).encode(),
        json.dumps({**valid, "status_message": "x" * 3_000_000}).encode(),
    ]


def test_malformed_notifications_get_400_and_reveal_nothing(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    for body in malformed_bodies(midtrans_fake.notification(started.order_id)):
        response = requests.post(
            endpoint, data=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        assert response.status_code in (400, 403), body[:80]
        assert response.headers["Content-Type"] == "application/json", body[:80]
        assert set(response.json()) == {"ok", "detail"} and len(response.text) < 200
    assert_nothing_changed(started)
    assert not TransactionEvent.objects.filter(source="notification").exists()


@pytest.mark.parametrize(
    "tampered, status, purchases",
    [
        ({"fraud_status": ["accept"]}, 200, 1),  # the status API's answer is the one applied
        ({"fraud_status": 1}, 200, 1),
        ({"fraud_status": {"a": "accept"}}, 200, 1),
        ({"transaction_status": "pending", "fraud_status": ["accept"]}, 200, 0),  # claims nothing new
        ({"status_message": "a\u0000b"}, 400, 0),
        ({"va_numbers": [{"bank": "bca", "va_number": "\u0000"}]}, 400, 0),
    ],
)
def test_a_replayed_signature_with_odd_unsigned_fields_gets_a_clear_answer(
    endpoint, midtrans_fake, started, tampered, status, purchases
):
    # The signature covers order id, status code and amount only: anyone who saw a notification can
    # resend it with other fields changed. That must end in a clear answer, never a server error.
    midtrans_fake.pay(started.order_id, "settlement")
    notification = {**midtrans_fake.notification(started.order_id), **tampered}

    response = requests.post(endpoint, json=notification, timeout=10)

    assert response.status_code == status and set(response.json()) == {"ok", "detail"}
    assert purchases_of(started.user).count() == purchases


def test_status_api_down_asks_for_a_retry_and_is_applied_once_in_the_end(endpoint, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    notification = midtrans_fake.notification(started.order_id)
    midtrans_fake.status_api_down = True

    first = requests.post(endpoint, json=notification, timeout=10)

    assert first.status_code == 503  # Midtrans retries a 503 four times
    assert_nothing_changed(started)

    midtrans_fake.status_api_down = False
    assert pending_reconcile(min_age=__import__("datetime").timedelta(0)) == {"paid": 1}
    retry = requests.post(endpoint, json=notification, timeout=10)

    assert retry.status_code == 200
    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert purchases_of(started.user).count() == 1


def test_denial_after_payment_flags_the_transaction_and_alerts_staff(
    endpoint, midtrans_fake, started, settings, outbox
):
    settings.STAFF_ALERT_PHONES = ["+6281100000001"]
    midtrans_fake.pay(started.order_id, "settlement")
    assert requests.post(endpoint, json=midtrans_fake.notification(started.order_id), timeout=10).ok
    midtrans_fake.pay(started.order_id, "deny")

    response = requests.post(endpoint, json=midtrans_fake.notification(started.order_id), timeout=10)

    assert response.status_code == 200
    started.refresh_from_db()
    assert started.needs_review and started.status == Transaction.Status.FAILED
    alerts = [m for m in outbox if "ditinjau" in m["text"]]
    assert [m["phone"] for m in alerts] == ["+6281100000001"]
    assert "dibatalkan setelah pembayaran" in alerts[0]["text"]  # the reason in Indonesian, too
    assert AuditEntry.objects.filter(action="billing.failed", object_id=str(started.pk)).exists()
    # Staff decide about the quota: it stays until they act.
    assert purchases_of(started.user).count() == 1


def test_paying_on_the_snap_page_notifies_and_lands_on_a_paid_status_page(
    http_server, endpoint, midtrans_fake, resident, package, settings
):
    settings.PUBLIC_BASE_URL = http_server
    midtrans_fake.notification_url = endpoint
    tx = transaction_start(user=resident, package=package)

    assert "Rp 25000.00" in requests.get(tx.redirect_url, timeout=10).text
    landing = requests.post(tx.redirect_url, data={"status": "settlement"}, timeout=10)

    assert landing.status_code == 200 and landing.url.startswith(f"{http_server}/billing/order/")
    assert "Lunas" in landing.text or "Paid" in landing.text
    tx.refresh_from_db()
    assert tx.status == Transaction.Status.PAID
    assert purchases_of(resident).count() == 1
