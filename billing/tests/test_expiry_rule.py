"""Buying quota never shortens its validity: the purchase page shows the resulting expiry before paying,
the paid package keeps the later expiry, and the WhatsApp receipt names it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from billing.models import Package
from billing.services import transaction_confirm, transaction_start
from core.units import GIB
from quota.models import QuotaBalance

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # 18:00 in Asia/Makassar
JAN_1 = datetime(2027, 1, 1, 10, 0, tzinfo=UTC)
JAN_1_TEXT = "01-01-2027 18:00"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def holder(make_user, frozen):
    """A resident with 10 GB valid until 1 January (29 days from now)."""
    return make_user(quota_bytes=10 * GIB, days=29)


@pytest.fixture
def one_day(db):
    return Package.objects.create(name="Paket Harian", price=3000, quota_bytes=GIB, validity_days=1)


def test_the_purchase_page_shows_the_expiry_each_package_would_give(client, holder, one_day):
    Package.objects.create(name="Paket Dua Bulan", price=90000, quota_bytes=50 * GIB, validity_days=60)
    client.force_login(holder)
    page = client.get(reverse("billing:packages")).content.decode()
    assert JAN_1_TEXT in page  # the 1-day package: the later expiry stays
    assert "01-02-2027 18:00" in page  # the 60-day package: now + 60 days
    assert "04-12-2026 18:00" not in page


def test_a_one_day_package_paid_keeps_the_later_expiry_and_the_receipt_names_it(
    holder, one_day, midtrans_fake, outbox, django_capture_on_commit_callbacks
):
    tx = transaction_start(user=holder, package=one_day)
    midtrans_fake.pay(tx.order_id)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = transaction_confirm(
            order_id=tx.order_id, source="notification", notification=midtrans_fake.notification(tx.order_id)
        )

    assert outcome == "applied"
    balance = QuotaBalance.objects.get(user=holder)
    assert balance.expires_at == JAN_1 and balance.remaining_bytes == 11 * GIB
    (receipt,) = [m["text"] for m in outbox if m["phone"] == holder.phone]
    assert JAN_1_TEXT in receipt


def test_a_purchase_on_an_expired_balance_runs_from_now(make_user, one_day, midtrans_fake):
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        user = make_user(quota_bytes=GIB, days=30)
    with time_machine.travel(NOW, tick=False):
        tx = transaction_start(user=user, package=one_day)
        midtrans_fake.pay(tx.order_id)
        transaction_confirm(order_id=tx.order_id, source="reconcile")
    assert QuotaBalance.objects.get(user=user).expires_at == NOW + timedelta(days=1)
