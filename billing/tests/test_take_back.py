"""A payment reversed after it was applied (refund, chargeback): staff take the quota back, exactly once."""

import json
import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEntry
from billing.models import Transaction
from billing.services import transaction_quota_take_back, transaction_start
from core.units import GIB
from quota.models import QuotaBalance, QuotaEntry
from quota.services import quota_consume

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
NOTIFICATION_URL = "/billing/midtrans/notification/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def notify(client, fake, order_id):
    """Midtrans' signed notification for the order's current state, through our endpoint (which confirms
    it with the fake's status API)."""
    body = json.dumps(fake.notification(order_id))
    return client.post(NOTIFICATION_URL, body, content_type="application/json")


def paid_then_reversed(client, fake, user, package, reversal, on_commit):
    tx = transaction_start(user=user, package=package)
    fake.pay(tx.order_id, "settlement")
    with on_commit(execute=True):
        assert notify(client, fake, tx.order_id).status_code == 200
    fake.pay(tx.order_id, reversal)
    assert notify(client, fake, tx.order_id).status_code == 200
    tx.refresh_from_db()
    assert tx.status == Transaction.Status.REFUNDED and tx.needs_review and tx.paid_at
    return tx


def take_back_url(tx):
    return reverse("admin:billing_transaction_do", args=[tx.pk, "quota_take_back"])


def remaining(user):
    return QuotaBalance.objects.get(user=user).remaining_bytes


@pytest.mark.django_db
@pytest.mark.parametrize("reversal", ["refund", "chargeback"])
def test_staff_take_back_the_quota_of_a_payment_reversed_after_settlement(
    client, staff, make_user, package, midtrans_fake, outbox, reversal, frozen,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    resident = make_user(quota_bytes=GIB)
    tx = paid_then_reversed(
        client, midtrans_fake, resident, package, reversal, django_capture_on_commit_callbacks
    )
    assert remaining(resident) == 6 * GIB  # the resident keeps the quota until staff decide

    client.force_login(staff)
    preview = client.get(take_back_url(tx))
    page = preview.content.decode()
    assert "6,00 GB" in page and "1,00 GB" in page  # remaining before and after
    token = preview.context["form"]["token"].value()
    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(take_back_url(tx), {"token": token, "_lps_step": "apply"})
        again = client.post(take_back_url(tx), {"token": token, "_lps_step": "apply"}, follow=True)

    assert applied.status_code == 302
    assert remaining(resident) == 1 * GIB
    (entry,) = QuotaEntry.objects.filter(user=resident, kind="adjust")
    assert entry.amount_bytes == -5 * GIB and entry.reference == tx.order_id and entry.actor == staff
    tx.refresh_from_db()
    assert not tx.needs_review
    assert AuditEntry.objects.filter(action="quota.take_back", actor=staff, target_user=resident).count() == 1
    assert AuditEntry.objects.filter(action="billing.quota_taken_back", object_id=str(tx.pk)).count() == 1
    texts = [m["text"] for m in outbox if m["phone"] == resident.phone]
    assert len(texts) == 2  # the receipt, then the take-back
    assert tx.order_id in texts[1] and "5,00 GB" in texts[1] and "1,00 GB" in texts[1]
    # The second click: refused with a message, nothing taken twice.
    assert "tidak menunggu peninjauan" in again.content.decode() or "not waiting" in again.content.decode()
    assert QuotaEntry.objects.filter(user=resident, kind="adjust").count() == 1


@pytest.mark.django_db
def test_at_most_what_remains_is_taken_back(
    client, make_user, staff, package, midtrans_fake, frozen, django_capture_on_commit_callbacks
):
    resident = make_user()
    tx = paid_then_reversed(
        client, midtrans_fake, resident, package, "refund", django_capture_on_commit_callbacks
    )
    quota_consume(user=resident, amount_bytes=4 * GIB, idempotency_key="used")

    entry = transaction_quota_take_back(order_id=tx.order_id, actor=staff)

    assert entry.amount_bytes == -1 * GIB
    assert remaining(resident) == 0
    balance = QuotaBalance.objects.get(user=resident)
    assert balance.used_bytes == 4 * GIB  # usage stays as it was counted


@pytest.mark.django_db
def test_taking_back_an_unlimited_package_ends_unlimited_access(
    client, make_user, staff, unlimited_package, midtrans_fake, outbox, frozen,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    resident = make_user(quota_bytes=GIB)
    tx = paid_then_reversed(
        client, midtrans_fake, resident, unlimited_package, "chargeback", django_capture_on_commit_callbacks
    )
    assert QuotaBalance.objects.get(user=resident).is_unlimited
    with django_capture_on_commit_callbacks(execute=True):
        transaction_quota_take_back(order_id=tx.order_id, actor=staff)
    balance = QuotaBalance.objects.get(user=resident)
    assert not balance.is_unlimited and balance.remaining_bytes == GIB
    assert "unlimited" in outbox[-1]["text"].lower() or "tanpa batas" in outbox[-1]["text"].lower()


@pytest.mark.django_db
def test_an_order_that_gave_nothing_cannot_be_taken_back(make_user, staff, package, midtrans_fake, frozen):
    resident = make_user()
    tx = transaction_start(user=resident, package=package)
    Transaction.objects.filter(pk=tx.pk).update(status=Transaction.Status.EXPIRED, needs_review=True)
    with pytest.raises(ValidationError):
        transaction_quota_take_back(order_id=tx.order_id, actor=staff)
    assert not QuotaEntry.objects.filter(kind="adjust").exists()


@pytest.mark.django_db(transaction=True)
def test_eight_staff_clicks_at_once_take_the_quota_back_once(
    client, make_user, staff, package, midtrans_fake, django_capture_on_commit_callbacks
):
    resident = make_user(quota_bytes=GIB)
    tx = paid_then_reversed(
        client, midtrans_fake, resident, package, "refund", django_capture_on_commit_callbacks
    )
    start = threading.Barrier(8)
    outcomes = []

    def click():
        start.wait()
        try:
            transaction_quota_take_back(order_id=tx.order_id, actor=staff)
            outcomes.append("taken")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["refused"] * 7 + ["taken"]
    assert remaining(resident) == GIB
    assert QuotaEntry.objects.filter(user=resident, kind="adjust").count() == 1
    assert AuditEntry.objects.filter(action="quota.take_back").count() == 1


@pytest.mark.django_db
def test_the_action_is_offered_in_the_transaction_list(client, staff, started):
    client.force_login(staff)
    page = client.get(reverse("admin:billing_transaction_changelist")).content.decode()
    assert "quota_take_back" in page
