"""PostgreSQL goes away in the middle of a usage cycle (the connection breaks inside its transaction, as in
a restart): the cycle commits nothing, the process reconnects by itself, and the next cycle counts every
byte the router delivered exactly once."""

import pytest
from django.db import OperationalError, close_old_connections, connection

from core.testing.tcp_proxy import database_through_proxy as through_proxy
from core.units import GIB
from quota.metering import apply as metering_apply
from quota.metering.cycles import usage_cycle
from quota.models import QuotaEntry
from quota.tests.usage_support import *  # noqa: F403 - fixtures
from quota.tests.usage_support import used

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]
MBPS = 1_000_000


@pytest.fixture
def database_through_proxy():
    """The test's database connection goes through a proxy the test can cut."""
    with through_proxy(connection) as proxy:
        yield proxy


def test_a_database_restart_inside_a_usage_cycle_commits_nothing_and_loses_no_byte(
    database_through_proxy, resident, sim, clock, monkeypatch
):
    user, ip = resident(quota_bytes=10 * GIB)
    usage_cycle(now=clock)  # the first sample
    sim.start_flow(ip, 8 * MBPS, seconds=90)  # 1,000,000 bytes a second for 90 s
    sim.advance(60)
    follow = metering_apply.statuses_follow

    def restart_midway(*args, **kwargs):  # after the ledger rows are written, before the commit
        database_through_proxy.cut()
        return follow(*args, **kwargs)

    monkeypatch.setattr(metering_apply, "statuses_follow", restart_midway)
    with pytest.raises(OperationalError):
        usage_cycle(now=clock)
    monkeypatch.setattr(metering_apply, "statuses_follow", follow)
    database_through_proxy.restore()
    close_old_connections()  # what every task, request and the guard loop does between runs
    assert QuotaEntry.objects.filter(user=user, kind="usage").count() == 0  # nothing half-applied
    sim.advance(60)
    usage_cycle(now=clock)
    assert used(user) == 90_000_000
    usage_cycle(now=clock)
    assert used(user) == 90_000_000


@pytest.mark.parametrize("debug", [False, True])
def test_while_the_database_is_down_healthz_says_down_and_pages_answer_with_our_503(
    database_through_proxy, client, settings, debug
):
    settings.DEBUG = debug
    database_through_proxy.cut()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["status"] == "down"
    page = client.get("/captive/", {"ip": "172.16.2.115"})
    body = page.content.decode()
    assert page.status_code == 503 and "Layanan sedang gangguan" in body and "Traceback" not in body
    database_through_proxy.restore()
    close_old_connections()
    assert client.get("/healthz").json()["database"] == {"ok": True}
