"""Router flapping: a router that answers only after its timeout, or drops the connection mid-run. No
duplicate entry, the next run converges, and the staff see the error with its time."""

import time

import pytest
import time_machine
from django.utils import timezone

from core.units import GIB
from quota.router_state import full_reconcile
from routers.models import Router
from routers.tests.helpers import LISTS, QUEUES, lists, managed

pytestmark = [pytest.mark.usefixtures("fast_router_settings"), pytest.mark.faults]


@pytest.fixture
def residents(make_user):
    from accounts.models import Device

    users = [make_user(quota_bytes=10 * GIB) for _ in range(3)]
    for n, user in enumerate(users, start=1):
        Device.objects.create(user=user, mac=f"AC:DE:48:00:02:{n:02X}", last_ip=f"172.16.2.{n}")
    return users


def test_a_router_answering_after_its_timeout_shows_the_error_with_its_time_and_converges_next_run(
    router, sim, residents, settings
):
    settings.MIKROTIK_TIMEOUT_S = 0.5
    sim.inject("/ip/firewall/address-list/add", delay=1.5)  # applied by the router, answered too late
    with time_machine.travel(timezone.now(), tick=True):
        [late] = full_reconcile()
        router.refresh_from_db()
        assert not late.ok and router.last_error and router.last_error_at is not None
        health = Router.objects.get(pk=router.pk)
        assert health.last_error_at <= timezone.now()
    time.sleep(1.2)  # the late add lands on the router
    settings.MIKROTIK_TIMEOUT_S = 3.0
    [repaired] = full_reconcile()
    assert repaired.ok, repaired.error
    assert len(managed(sim, LISTS)) == 3 and len(lists(sim)) == 3  # no duplicate address-list entry
    assert len(managed(sim, QUEUES)) == 3
    router.refresh_from_db()
    assert router.last_error == "" and router.last_error_at is None
    sim.clear_log()
    full_reconcile()
    assert sim.writes() == []


def test_connections_dropped_mid_reconcile_leave_no_duplicate_and_the_next_run_converges(
    router, sim, residents
):
    sim.inject("/queue/simple/add", drop="after", times=1)
    [broken] = full_reconcile()
    assert not broken.ok
    router.refresh_from_db()
    assert router.last_error_at is not None
    [repaired] = full_reconcile()
    assert repaired.ok, repaired.error
    assert len(managed(sim, QUEUES)) == 3 and len(managed(sim, LISTS)) == 3
