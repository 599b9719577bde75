"""A worker killed (SIGKILL) in the middle of a usage cycle (a payment: billing/tests/test_faults_killed.py)
or a reconcile: nothing is half-applied, and the next run finishes the work, once."""

import signal

import pytest
from django.db import connection

from accounts.models import Device
from core.testing.killed import run_killed
from core.units import GIB
from quota.metering.cycles import usage_cycle
from quota.models import QuotaEntry
from quota.router_state import full_reconcile
from quota.tests.usage_support import *  # noqa: F403 - fixtures
from quota.tests.usage_support import T0, used
from routers.tests.helpers import LISTS, QUEUES, managed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]
MBPS = 1_000_000


def test_a_worker_killed_inside_a_usage_cycle_leaves_nothing_and_the_next_cycle_counts_every_byte(
    resident, sim, clock
):
    user, ip = resident(quota_bytes=10 * GIB)
    usage_cycle(now=clock)
    sim.start_flow(ip, 8 * MBPS, seconds=90)
    sim.advance(60)
    code = f"""
        from datetime import datetime, timedelta
        from quota.metering.cycles import usage_cycle
        usage_cycle(now=lambda: datetime.fromisoformat({T0.isoformat()!r}) + timedelta(seconds={sim.now()}))
    """
    returncode = run_killed(
        connection=connection, kill_after="quota.metering.apply:statuses_follow", code=code
    )
    assert returncode == -signal.SIGKILL
    assert QuotaEntry.objects.filter(user=user, kind="usage").count() == 0
    sim.advance(60)
    usage_cycle(now=clock)
    assert used(user) == 90_000_000


def test_a_worker_killed_in_the_middle_of_a_reconcile_is_finished_by_the_next_run(
    router, sim, make_user, settings
):
    settings.MIKROTIK_CONNECT_ATTEMPTS = 1
    for n in range(1, 4):
        user = make_user(quota_bytes=10 * GIB)
        Device.objects.create(user=user, mac=f"AC:DE:48:00:04:{n:02X}", last_ip=f"172.16.4.{n}")
    code = """
        from quota.router_state import full_reconcile
        full_reconcile()
    """
    returncode = run_killed(connection=connection, kill_after="routers.reconcile:_apply_one", code=code)
    assert returncode == -signal.SIGKILL
    assert sim.writes()  # it had started writing
    [result] = full_reconcile()  # the writer lock of the killed worker does not hold this run back
    assert result.ok, result.error
    assert len(managed(sim, QUEUES)) == 3 and len(managed(sim, LISTS)) == 3
    sim.clear_log()
    full_reconcile()
    assert sim.writes() == []
