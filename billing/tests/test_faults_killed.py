"""A worker killed (SIGKILL) while applying a payment: the order stays pending with nothing applied, and the
pending reconciliation applies it once."""

import signal
from datetime import timedelta

import pytest
from django.db import connection

from billing.models import Transaction
from billing.services import pending_reconcile
from core.testing.killed import run_killed
from quota.models import QuotaEntry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def test_a_worker_killed_while_applying_a_payment_leaves_it_pending_and_the_reconcile_applies_it_once(
    midtrans_fake, started, settings
):
    midtrans_fake.pay(started.order_id, "settlement")
    code = f"""
        from billing.services import transaction_reconcile
        transaction_reconcile(order_id={started.order_id!r})
    """
    returncode = run_killed(
        connection=connection,
        kill_after="billing.services:_package_apply",
        code=code,
        env={"MIDTRANS_API_BASE_URL": midtrans_fake.base_url},
    )
    assert returncode == -signal.SIGKILL
    started.refresh_from_db()
    assert started.status == Transaction.Status.PENDING
    assert not QuotaEntry.objects.filter(user=started.user, kind=QuotaEntry.Kind.PURCHASE).exists()
    assert pending_reconcile(min_age=timedelta(0)) == {"paid": 1}
    assert pending_reconcile(min_age=timedelta(0)) == {}
    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert QuotaEntry.objects.filter(user=started.user, kind=QuotaEntry.Kind.PURCHASE).count() == 1
