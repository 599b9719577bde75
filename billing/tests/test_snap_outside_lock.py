"""A slow Snap holds up nothing else of the resident's: the order row is committed before Midtrans is asked
for the token, and no lock is held while it answers."""

import threading

import pytest
from django.db import connection

from billing.models import Package, Transaction
from billing.services import transaction_start
from core.units import GIB
from quota.metering.cycles import usage_cycle
from quota.models import QuotaBalance
from quota.tests.usage_support import *  # noqa: F403 - fixtures (simulator, router, resident, clock)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_purchase_and_a_usage_cycle_complete_while_snap_is_still_answering_the_first(
    midtrans_fake, package, resident, sim, clock, settings
):
    settings.MIDTRANS_TIMEOUT_S = 15  # the held Snap answer must not time out
    user, ip = resident(quota_bytes=10 * GIB)
    usage_cycle(now=clock)  # the counters' first sample
    other = Package.objects.create(name="Paket 1 GB", price=5000, quota_bytes=GIB, validity_days=7)
    release = midtrans_fake.snap_hold(seconds=10)
    first: dict = {}
    first_done = threading.Event()

    def buy_first():
        try:
            first["tx"] = transaction_start(user=user, package=package)
        except Exception as exc:  # reported by the assertions below
            first["error"] = exc
        finally:
            first_done.set()
            connection.close()

    buyer = threading.Thread(target=buy_first)
    buyer.start()
    try:
        assert midtrans_fake.snap_holding.wait(10), "the first purchase never reached Snap"
        # The first order is committed (visible to everyone) while Snap has not answered yet.
        assert Transaction.objects.filter(user=user, package=package, redirect_url="").count() == 1

        second = transaction_start(user=user, package=other)
        sim.start_flow(ip, 8_000_000, seconds=10)
        sim.advance(10)
        report = usage_cycle(now=clock)

        still_pending = not first_done.is_set()
    finally:
        release.set()
        buyer.join(20)

    assert still_pending, "the second purchase and the usage cycle waited for the slow Snap answer"
    assert second.redirect_url and second.package == other
    assert report.usage_bytes == 10_000_000
    assert QuotaBalance.objects.get(user=user).used_bytes == 10_000_000
    assert "error" not in first, first.get("error")
    assert first["tx"].redirect_url and first["tx"].snap_token
    assert Transaction.objects.filter(user=user).exclude(redirect_url="").count() == 2
