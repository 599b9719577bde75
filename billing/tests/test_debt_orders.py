"""Debt orders through Midtrans, purchases paying debt first, invoices and receipts (PostgreSQL, the
Midtrans fake, real HTTP for the concurrent notifications)."""

import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import time_machine
from django.core.exceptions import ValidationError

from billing.debt_orders import debt_transaction_start
from billing.links import receipt_url
from billing.models import Transaction
from billing.receipts import receipt_pdf
from billing.services import transaction_confirm, transaction_start
from core.units import GIB, MIB
from quota.debt import debt_forgive, debt_grant, debt_settle_cash, debt_summary
from quota.models import DebtItem, Invoice, QuotaBalance, QuotaEntry
from quota.services import balances_rebuild, quota_consume

MIDMONTH = "2026-03-15 10:00 +08:00"


def post_all(url, payloads, workers):
    barrier = threading.Barrier(min(workers, len(payloads)))

    def post(payload):
        with requests.Session() as session:
            barrier.wait(timeout=10)
            return session.post(url, json=payload, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(post, payloads))


def pay(midtrans_fake, tx):
    midtrans_fake.pay(tx.order_id, "settlement", payment_type="gopay")
    return transaction_confirm(order_id=tx.order_id, source="test", notification=None)


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_a_paid_purchase_pays_auto_debt_first_and_gets_an_invoice(
    midtrans_fake, make_user, package, outbox, django_capture_on_commit_callbacks
):
    user = make_user(quota_bytes=GIB)
    quota_consume(user=user, amount_bytes=GIB + 700 * MIB, idempotency_key="u")
    tx = transaction_start(user=user, package=package)
    with django_capture_on_commit_callbacks(execute=True):
        assert pay(midtrans_fake, tx) == "applied"
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 5 * GIB - 700 * MIB  # bytes exact
    invoice = Invoice.objects.get(reference=tx.order_id)
    assert invoice.number == "INV/UTAMA/2026/000001" and invoice.amount_rp == package.price
    assert any(invoice.number in m["text"] and "/billing/receipt/" in m["text"] for m in outbox)


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_unlimited_is_not_sold_while_debt_is_open(midtrans_fake, make_user, unlimited_package):
    user = make_user()
    debt_grant(user=user, amount_bytes=GIB, price_rp=10000, actor=None, note="x")
    with pytest.raises(ValidationError) as err:
        transaction_start(user=user, package=unlimited_package)
    assert err.value.code == "debt"
    assert not Transaction.objects.filter(user=user).exists()


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_online_settlement_prices_auto_debt_from_the_cheapest_package_and_clears_all(
    midtrans_fake, make_user, package, outbox, settings
):
    settings.DEBT_ROUNDING_RP = 10000
    user = make_user()
    item = debt_grant(user=user, amount_bytes=2 * GIB, price_rp=15000, actor=None, note="Paket 2 GB")
    quota_consume(user=user, amount_bytes=2 * GIB + 500 * MIB, idempotency_key="u")  # 500 MB auto debt
    tx = debt_transaction_start(user=user)
    # 500 MB at Rp 25.000 / 5 GB = Rp 2.442 → Rp 10.000; plus the item's Rp 15.000.
    assert tx.kind == Transaction.Kind.DEBT and tx.package is None and tx.amount == 25000
    assert pay(midtrans_fake, tx) == "applied"
    item.refresh_from_db()
    assert item.closed_how == DebtItem.Closed.ONLINE
    assert not debt_summary(user).has_debt
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 0
    assert Invoice.objects.get(reference=tx.order_id).kind == Invoice.Kind.SETTLEMENT
    assert balances_rebuild(fix=False) == []


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_an_underpaid_debt_notification_changes_nothing(midtrans_fake, make_user, package):
    user = make_user()
    debt_grant(user=user, amount_bytes=GIB, price_rp=20000, actor=None, note="x")
    tx = debt_transaction_start(user=user)
    midtrans_fake.pay(tx.order_id, "settlement")
    forged = midtrans_fake.notification(tx.order_id) | {"gross_amount": "1000.00"}
    assert transaction_confirm(order_id=tx.order_id, source="test", notification=forged) == "amount_mismatch"
    assert debt_summary(user).items_rp == 20000 and not Invoice.objects.exists()


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_a_settlement_racing_a_purchase_loses_nothing(midtrans_fake, make_user, package):
    user = make_user()
    debt_grant(user=user, amount_bytes=2 * GIB, price_rp=20000, actor=None, note="x")
    debt_order = debt_transaction_start(user=user)
    purchase = transaction_start(user=user, package=package)
    pay(midtrans_fake, purchase)  # the purchase pays the item back in bytes first
    pay(midtrans_fake, debt_order)  # then the money for the same item arrives
    # Paid twice for the same item: the bytes the purchase gave up come back, nothing is lost.
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 2 * GIB + 5 * GIB
    assert not debt_summary(user).has_debt
    assert balances_rebuild(fix=False) == []


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
@pytest.mark.parametrize("settled_by", ["cash", "forgiven", "another order"])
def test_a_debt_order_paid_for_items_already_settled_is_flagged_for_a_refund(
    midtrans_fake, make_user, staff, settings, outbox, django_capture_on_commit_callbacks, settled_by
):
    settings.STAFF_ALERT_PHONES = ["+6281100000002"]
    user = make_user()
    item = debt_grant(user=user, amount_bytes=GIB, price_rp=20000, actor=None, note="x")
    debt_order = debt_transaction_start(user=user)
    if settled_by == "cash":
        debt_settle_cash(user=user, actor=staff, item_id=item.pk, amount_rp=20000)
    elif settled_by == "forgiven":
        debt_forgive(user=user, actor=staff, reason="Keringanan", item_id=item.pk)
    else:
        pay(midtrans_fake, debt_transaction_start(user=user))
    with django_capture_on_commit_callbacks(execute=True):
        assert pay(midtrans_fake, debt_order) == "applied"

    debt_order.refresh_from_db()
    assert debt_order.status == Transaction.Status.PAID and debt_order.needs_review
    assert Invoice.objects.filter(
        reference=debt_order.order_id
    ).exists()  # the money came: it has its receipt
    alerts = [m for m in outbox if m["phone"] == "+6281100000002"]
    assert len(alerts) == 1 and debt_order.order_id in alerts[0]["text"]
    assert "sudah lunas" in alerts[0]["text"]
    assert not debt_summary(user).has_debt and balances_rebuild(fix=False) == []


@pytest.mark.django_db
@time_machine.travel(MIDMONTH, tick=False)
def test_a_debt_order_for_open_items_is_not_flagged(midtrans_fake, make_user):
    user = make_user()
    debt_grant(user=user, amount_bytes=GIB, price_rp=20000, actor=None, note="x")
    debt_order = debt_transaction_start(user=user)
    pay(midtrans_fake, debt_order)
    debt_order.refresh_from_db()
    assert debt_order.status == Transaction.Status.PAID and not debt_order.needs_review


@pytest.mark.django_db
def test_receipt_pdf_text_holds_number_amount_and_resident(make_user, client):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/test_prepare does)")
    user = make_user(full_name="Budi Santoso")
    with time_machine.travel(MIDMONTH, tick=False):
        item = debt_grant(user=user, amount_bytes=GIB, price_rp=20000, actor=None, note="x")
        invoice = debt_settle_cash(user=user, actor=user, item_id=item.pk, amount_rp=20000)
    text = subprocess.run(["pdftotext", "-", "-"], input=receipt_pdf(invoice), capture_output=True).stdout
    text = text.decode()
    assert invoice.number in text and "Rp 20.000" in text and "Budi Santoso" in text
    page = client.get(receipt_url(invoice.number))
    assert page.status_code == 200 and invoice.number in page.content.decode()
    assert client.get(receipt_url(invoice.number).replace("/receipt/", "/receipt/x")).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_settlement_notifications_apply_once(http_server, midtrans_fake, make_user, package):
    user = make_user()
    debt_grant(user=user, amount_bytes=GIB, price_rp=20000, actor=None, note="x")
    tx = debt_transaction_start(user=user)
    midtrans_fake.pay(tx.order_id, "settlement")
    notification = midtrans_fake.notification(tx.order_id)
    statuses = post_all(f"{http_server}/billing/midtrans/notification/", [notification] * 50, workers=50)
    assert statuses == [200] * 50
    assert Invoice.objects.filter(reference=tx.order_id).count() == 1
    assert DebtItem.objects.get(user=user).closed_how == DebtItem.Closed.ONLINE
    assert QuotaEntry.objects.filter(user=user, kind=QuotaEntry.Kind.SETTLE).count() == 0


@pytest.mark.django_db(transaction=True)
def test_invoice_numbers_stay_gapless_under_twenty_concurrent_payments(
    http_server, midtrans_fake, make_user, package
):
    orders = []
    for _ in range(20):
        tx = transaction_start(user=make_user(), package=package)
        midtrans_fake.pay(tx.order_id, "settlement")
        orders.append(midtrans_fake.notification(tx.order_id))
    statuses = post_all(f"{http_server}/billing/midtrans/notification/", orders, workers=20)
    assert statuses == [200] * 20
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 21))
