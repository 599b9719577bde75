"""Billing's guard on a release: a resident with a pending payment is not released until it settles or
expires (quota.lifecycle.RELEASE_GUARDS, registered by BillingConfig.ready)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import Transaction
from core.units import GIB
from quota.lifecycle import resident_release
from quota.tests.test_admin_resident_actions import do_url

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))

pytestmark = pytest.mark.django_db


@time_machine.travel(T0, tick=False)
def test_release_with_a_pending_payment_is_refused_with_the_reason(make_user, staff, package):
    alice = make_user(quota_bytes=GIB)
    Transaction.objects.create(
        user=alice,
        package=package,
        order_id="LPS-PENDING-1",
        amount=package.price,
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    with pytest.raises(ValidationError) as refused:
        resident_release(user=alice, actor=staff)
    assert "LPS-PENDING-1" in str(refused.value)
    alice.refresh_from_db()
    assert alice.is_active and not alice.phone.startswith("x-")  # nothing changed

    Transaction.objects.filter(user=alice).update(status=Transaction.Status.EXPIRED)
    resident_release(user=alice, actor=staff)


def test_release_with_a_pending_payment_is_refused_on_the_page(staff_client, make_user, package):
    resident = make_user(quota_bytes=GIB)
    Transaction.objects.create(
        user=resident,
        package=package,
        order_id="LPS-WAIT-9",
        amount=package.price,
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    page = staff_client.get(do_url(resident, "release"))
    assert "LPS-WAIT-9" in page.content.decode()
    resident.refresh_from_db()
    assert resident.is_active
