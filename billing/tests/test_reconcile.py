"""Reconciliation of pending transactions against the status API (the fake over HTTP)."""

from datetime import timedelta

import pytest

from billing.models import Transaction
from billing.services import pending_reconcile, transaction_confirm
from billing.tasks import reconcile_pending
from quota.models import QuotaEntry

pytestmark = pytest.mark.django_db


def age(tx, minutes):
    """Pretend the transaction was created `minutes` ago."""
    shift = timedelta(minutes=minutes)
    Transaction.objects.filter(pk=tx.pk).update(
        created_at=tx.created_at - shift, expires_at=tx.expires_at - shift
    )


def status_of(tx):
    tx.refresh_from_db()
    return tx.status


def test_a_paid_order_whose_notification_never_came_is_applied(midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    age(started, 2)

    assert reconcile_pending() == {"paid": 1}
    assert status_of(started) == Transaction.Status.PAID
    assert QuotaEntry.objects.filter(reference=started.order_id).count() == 1
    assert pending_reconcile() == {}  # nothing pending anymore


def test_a_fresh_transaction_is_left_to_its_notification(midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    assert pending_reconcile() == {}
    assert status_of(started) == Transaction.Status.PENDING


def test_no_payment_method_chosen_before_expiry_expires_it(midtrans_fake, started, settings):
    age(started, settings.MIDTRANS_EXPIRY_MINUTES + 1)
    assert pending_reconcile() == {"expired": 1}
    assert status_of(started) == Transaction.Status.EXPIRED


def test_no_payment_method_chosen_yet_stays_pending(midtrans_fake, started):
    age(started, 5)
    assert pending_reconcile() == {"unknown_at_midtrans": 1}
    assert status_of(started) == Transaction.Status.PENDING


def test_midtrans_expiry_is_recorded(midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "expire")
    age(started, 20)
    assert pending_reconcile() == {"expired": 1}


def test_still_pending_long_after_expiry_and_grace_is_closed(midtrans_fake, started, settings):
    midtrans_fake.pay(started.order_id, "pending")
    age(started, settings.MIDTRANS_EXPIRY_MINUTES + settings.MIDTRANS_LATE_GRACE_MINUTES + 1)
    assert pending_reconcile() == {"expired": 1}


def test_status_api_down_leaves_it_for_the_next_run(midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")
    midtrans_fake.status_api_down = True
    age(started, 2)
    assert pending_reconcile() == {"unavailable": 1}
    assert status_of(started) == Transaction.Status.PENDING


def test_late_settlement_within_grace_is_honoured(midtrans_fake, started, settings):
    age(started, settings.MIDTRANS_EXPIRY_MINUTES + 1)
    pending_reconcile()
    assert status_of(started) == Transaction.Status.EXPIRED
    midtrans_fake.pay(started.order_id, "settlement")

    transaction_confirm(order_id=started.order_id, source="notification")

    assert status_of(started) == Transaction.Status.PAID
    assert QuotaEntry.objects.filter(reference=started.order_id).count() == 1


def test_settlement_after_the_grace_goes_to_staff_review(
    midtrans_fake, started, settings, outbox, django_capture_on_commit_callbacks
):
    settings.STAFF_ALERT_PHONES = ["+6281100000009"]
    age(started, settings.MIDTRANS_EXPIRY_MINUTES + settings.MIDTRANS_LATE_GRACE_MINUTES + 1)
    pending_reconcile()
    midtrans_fake.pay(started.order_id, "settlement")

    with django_capture_on_commit_callbacks(execute=True):
        transaction_confirm(order_id=started.order_id, source="notification")

    started.refresh_from_db()
    assert started.status == Transaction.Status.EXPIRED and started.needs_review
    assert not QuotaEntry.objects.filter(reference=started.order_id).exists()
    assert [m["phone"] for m in outbox] == ["+6281100000009"]
    assert "settlement (dibayar setelah masa tenggang)" in outbox[0]["text"]  # what Midtrans said, and why


def test_reconcile_schedule_is_declared():
    from billing.schedules import SCHEDULES

    assert any(s["func"] == "billing.tasks.reconcile_pending" for s in SCHEDULES)


def test_a_run_stops_at_the_first_order_midtrans_cannot_answer(midtrans_fake, started, make_user, package):
    """A hanging Midtrans would otherwise cost the full timeout per order and get the task killed."""
    from billing.services import transaction_start

    orders = [started, *(transaction_start(user=make_user(), package=package) for _ in range(2))]
    for tx in orders:
        age(tx, 2)
    midtrans_fake.status_api_down = True
    assert pending_reconcile() == {"unavailable": 1, "skipped": 2}
    assert {status_of(tx) for tx in orders} == {Transaction.Status.PENDING}
    midtrans_fake.status_api_down = False
    assert pending_reconcile() == {"unknown_at_midtrans": 3}  # no payment method chosen yet: all checked
