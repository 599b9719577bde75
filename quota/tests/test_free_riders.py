"""Free riders on the simulator: a host that is not ours goes to `unauthorized` after 10 minutes and leaves
when registered or gone; exempt IPs and our devices never do; the user reconciler leaves the list alone."""

import pytest

from accounts.models import Device
from core.units import GIB
from quota.hygiene.free_riders import free_riders_sync
from quota.router_state import full_reconcile
from routers.models import FreeRider
from routers.tests.helpers import BINDINGS, LISTS

pytestmark = pytest.mark.usefixtures("fast_router_settings")

HOSTS = "/ip/hotspot/host"
STRANGER = "DE:AD:BE:EF:00:01"


def unauthorized(sim):
    return {
        row["address"]: row
        for row in sim.menu(LISTS).rows()
        if row["list"] == "unauthorized" and row["comment"].startswith("lps:ua:")
    }


@pytest.fixture
def hosts(sim, make_user, settings):
    settings.HOTSPOT_EXEMPT_IPS = ["172.16.2.5"]
    alice = make_user(quota_bytes=10 * GIB)
    Device.objects.create(user=alice, mac="AC:DE:48:00:02:01", last_ip="172.16.2.11")
    host = sim.menu(HOSTS)
    host.add({"mac-address": "AC:DE:48:00:02:01", "address": "172.16.2.11", "bypassed": "true"})
    stranger = host.add({"mac-address": STRANGER, "address": "172.16.2.50"})
    host.add({"mac-address": "DE:AD:BE:EF:00:05", "address": "172.16.2.5"})  # exempt (a staff PC)
    host.add({"mac-address": "DE:AD:BE:EF:00:09", "address": "10.9.9.9"})  # not a client subnet
    return alice, stranger


def test_a_stranger_enters_unauthorized_after_ten_minutes_and_never_an_exempt_ip(router, sim, hosts):
    sim.advance(5 * 60)
    assert free_riders_sync(router).ok
    assert unauthorized(sim) == {}
    assert not FreeRider.objects.exists()

    sim.advance(6 * 60)
    result = free_riders_sync(router)

    assert result.ok and result.riders == 1
    entry = unauthorized(sim)["172.16.2.50"]
    assert entry["comment"] == f"lps:ua:{STRANGER}" and entry["timeout"]
    assert set(unauthorized(sim)) == {"172.16.2.50"}  # not the exempt, not ours, not another subnet
    rider = FreeRider.objects.get()
    assert (rider.mac, rider.address) == (STRANGER, "172.16.2.50")

    # A second run writes nothing; the full reconcile does not take the entry for a stranger.
    sim.clear_log()
    free_riders_sync(router)
    full_reconcile(router)
    assert "172.16.2.50" in unauthorized(sim)
    assert not [w for w in sim.writes() if STRANGER in " ".join(w.words)]


def test_a_free_rider_leaves_the_list_when_registered_or_gone(router, sim, hosts, make_user):
    _alice, stranger = hosts
    sim.advance(11 * 60)
    free_riders_sync(router)
    assert "172.16.2.50" in unauthorized(sim)

    bob = make_user(quota_bytes=GIB)
    Device.objects.create(user=bob, mac=STRANGER, last_ip="172.16.2.50")
    free_riders_sync(router)
    assert unauthorized(sim) == {} and not FreeRider.objects.exists()

    Device.objects.filter(mac=STRANGER).delete()
    free_riders_sync(router)
    assert "172.16.2.50" in unauthorized(sim)
    sim.menu(HOSTS).remove(stranger)  # it left the network
    free_riders_sync(router)
    assert unauthorized(sim) == {} and not FreeRider.objects.exists()


def test_a_blocked_free_rider_gets_a_blocked_binding_that_the_reconciler_keeps(router, sim, hosts):
    sim.advance(11 * 60)
    free_riders_sync(router)
    FreeRider.objects.update(blocked=True)

    free_riders_sync(router)
    full_reconcile(router)

    rows = [r for r in sim.menu(BINDINGS).rows() if r["comment"] == f"lps:ua:{STRANGER}"]
    assert [(r["mac-address"], r["type"]) for r in rows] == [(STRANGER, "blocked")]


def test_a_router_that_is_down_is_reported_not_raised(db, closed_port, settings, fast_router_settings):
    from routers.models import Router

    router = Router.objects.create(
        name="down", host="127.0.0.1", port=closed_port, username="x", password="y"
    )
    result = free_riders_sync(router)
    assert not result.ok and "FAILED" in result.summary()
