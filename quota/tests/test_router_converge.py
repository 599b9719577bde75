"""Targeted converge after each access change, and a router that is down never failing a change."""

import pytest

from accounts.models import Device
from accounts.services import device_remove, user_block, user_unblock
from core.units import GIB
from quota.models import QuotaBalance
from quota.router_state import full_reconcile, user_converge
from routers.client import RouterUnavailable
from routers.models import Router
from routers.selectors import routers_enabled
from routers.tests.helpers import bindings, lists, queues

pytestmark = pytest.mark.usefixtures("fast_router_settings")


@pytest.fixture
def two_residents(make_user):
    alice = make_user(quota_bytes=10 * GIB)
    bob = make_user(quota_bytes=10 * GIB)
    Device.objects.create(user=alice, mac="AC:DE:48:00:02:01", last_ip="172.16.2.11")
    Device.objects.create(user=alice, mac="AC:DE:48:00:02:02", last_ip="172.16.2.12")
    Device.objects.create(user=bob, mac="AC:DE:48:00:02:03", last_ip="172.16.2.13")
    return alice, bob


def _written_ids_and_tags(sim):
    return [entry.attributes.get(".id") or entry.attributes.get("comment") for entry in sim.writes()]


def test_blocking_a_resident_converges_only_that_resident_after_commit(router, sim, two_residents, on_commit):
    alice, bob = two_residents
    full_reconcile()
    bob_entries = {
        r[".id"]
        for m in ("/ip/hotspot/ip-binding",)
        for r in sim.menu(m).rows()
        if f"u={bob.pk}:" in r["comment"]
    }
    sim.clear_log()

    with on_commit():
        user_block(user=alice, actor=None, reason="melanggar aturan")

    assert bindings(sim) == {
        "AC:DE:48:00:02:01": "blocked",
        "AC:DE:48:00:02:02": "blocked",
        "AC:DE:48:00:02:03": "bypassed",
    }
    assert lists(sim)["172.16.2.11"] == "klient_blocked" and lists(sim)["172.16.2.13"] == "klient_aktif"
    assert f"lps-u{alice.pk}" not in queues(sim) and f"lps-u{bob.pk}" in queues(sim)
    assert not bob_entries & set(_written_ids_and_tags(sim))
    prints = [entry for entry in sim.log if entry.verb == "print"]
    assert prints and all(any(f"u={alice.pk}" in word for word in entry.words) for entry in prints)


def test_removing_a_device_takes_its_access_away_at_once(router, sim, two_residents, on_commit):
    alice, _ = two_residents
    full_reconcile()

    with on_commit():
        device_remove(device=Device.objects.get(mac="AC:DE:48:00:02:02"), actor=None)

    assert "AC:DE:48:00:02:02" not in bindings(sim) and "172.16.2.12" not in lists(sim)
    assert queues(sim)[f"lps-u{alice.pk}"][0] == "172.16.2.11/32"


def test_quota_guard_caps_the_queue(router, sim, two_residents):
    alice, _ = two_residents
    QuotaBalance.objects.filter(user=alice).update(guard_rate_bps=2_000_000)

    user_converge(alice.pk)

    assert queues(sim)[f"lps-u{alice.pk}"][1] == "2000000/2000000"


def test_an_offline_router_never_fails_a_change_and_converges_later(
    db, sim, two_residents, closed_port, on_commit, client
):
    alice, _ = two_residents
    router = Router.objects.create(name="lab", host="127.0.0.1", port=closed_port, username="api-lps")

    with on_commit():
        user_block(user=alice, actor=None, reason="melanggar aturan")

    alice.refresh_from_db()
    assert alice.is_blocked
    router.refresh_from_db()
    assert "tidak dapat terhubung (koneksi ditolak)" in router.last_error and router.pending_changes > 0
    health = client.get("/healthz").json()
    assert health["routers"] == [
        {
            "name": "lab",
            "ok": False,
            "last_contact": None,
            "pending_changes": router.pending_changes,
            "error": "unreachable",
            "error_at": router.last_error_at.isoformat(),  # when it failed, for the operator
        }
    ]

    Router.objects.filter(pk=router.pk).update(port=sim.port, password="s3cret-pass")
    [result] = full_reconcile()

    assert result.ok
    assert bindings(sim)["AC:DE:48:00:02:01"] == "blocked"
    router.refresh_from_db()
    assert router.last_error == "" and router.pending_changes == 0


def test_the_captive_portal_learns_when_a_router_is_down(db, two_residents, closed_port):
    alice, _ = two_residents
    Router.objects.create(name="lab", host="127.0.0.1", port=closed_port, username="api-lps")

    with pytest.raises(RouterUnavailable) as caught:
        user_converge(alice.pk)
    assert "lab" in caught.value.message


def test_a_router_that_hangs_is_given_up_after_the_short_timeout(
    router, sim, two_residents, on_commit, settings
):
    alice, _ = two_residents
    settings.MIKROTIK_QUICK_TIMEOUT_S = 0.3
    sim.inject("/login", delay=1.0)

    with on_commit():
        user_unblock(user=alice, actor=None)

    router.refresh_from_db()
    assert "tidak ada jawaban" in router.last_error or "waktu tunggu jawaban habis" in router.last_error


def test_the_default_router_comes_from_the_environment(db, settings):
    settings.MIKROTIK_HOST = "192.0.2.1"
    settings.MIKROTIK_PORT = 8729
    settings.MIKROTIK_USER = "lps"

    [router] = routers_enabled()

    assert (router.name, router.host, router.port, router.username) == ("default", "192.0.2.1", 8729, "lps")
    assert routers_enabled() == [router]


def test_a_router_with_an_unresolvable_name_never_fails_the_change(db, two_residents, on_commit):
    alice, _ = two_residents
    router = Router.objects.create(name="odd", host="no-such-router.invalid", port=8728, username="api")

    with on_commit():
        user_block(user=alice, actor=None, reason="melanggar aturan")

    alice.refresh_from_db()
    assert alice.is_blocked
    router.refresh_from_db()
    assert "tidak dapat terhubung (nama host tidak dikenal)" in router.last_error
