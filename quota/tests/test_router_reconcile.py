"""The reconciler against the RouterOS simulator over TCP, through the real librouteros client."""

import pytest

from accounts.models import Device
from core.units import GIB
from quota.router_state import full_reconcile, user_converge
from quota.services import quota_consume
from routers.models import Router
from routers.tests.helpers import BINDINGS, LEASES, LISTS, QUEUES, bindings, leases, lists, managed, queues

pytestmark = pytest.mark.usefixtures("fast_router_settings")


@pytest.fixture
def residents(make_user):
    """One resident per status, each with devices; returns {status: user}."""
    ok = make_user(quota_bytes=10 * GIB)
    fup = make_user(quota_bytes=10 * GIB)
    quota_consume(user=fup, amount_bytes=8 * GIB, idempotency_key="t:fup")
    habis = make_user()
    blocked = make_user(quota_bytes=10 * GIB, is_blocked=True, blocked_reason="test")
    inactive = make_user(approved=False)
    users = {"ok": ok, "fup": fup, "habis": habis, "blocked": blocked, "inactive": inactive}
    n = 0
    for user in users.values():
        for _ in range(2 if user is ok else 1):
            n += 1
            Device.objects.create(user=user, mac=f"AC:DE:48:00:01:{n:02X}", last_ip=f"172.16.2.{n}")
    return users


def test_fresh_router_converges_to_the_design_table(router, sim, residents):
    [result] = full_reconcile()

    assert result.ok, result.error
    ok, fup = residents["ok"], residents["fup"]
    assert bindings(sim) == {
        "AC:DE:48:00:01:01": "bypassed",
        "AC:DE:48:00:01:02": "bypassed",
        "AC:DE:48:00:01:03": "bypassed",
        "AC:DE:48:00:01:05": "blocked",
    }
    assert lists(sim) == {
        "172.16.2.1": "klient_aktif",
        "172.16.2.2": "klient_aktif",
        "172.16.2.3": "klient_fup",
        "172.16.2.4": "klient_habis",
        "172.16.2.5": "klient_blocked",
        "172.16.2.6": "klient_inactive",
    }
    assert queues(sim) == {
        f"lps-u{ok.pk}": ("172.16.2.1/32,172.16.2.2/32", "10000000/10000000"),
        f"lps-u{fup.pk}": ("172.16.2.3/32", "1000000/1000000"),
    }
    assert leases(sim) == {f"AC:DE:48:00:01:{n:02X}": f"172.16.2.{n}" for n in range(1, 7)}
    router.refresh_from_db()
    assert router.last_contact_at is not None and router.last_error == "" and router.pending_changes == 0


def test_a_converged_router_costs_no_writes(router, sim, residents):
    full_reconcile()
    sim.clear_log()

    [result] = full_reconcile()

    assert result.ok and result.report.writes == 0
    assert sim.writes() == []
    assert {entry.verb for entry in sim.log} <= {"login", "print"}


def test_one_run_repairs_managed_drift_and_leaves_foreign_entries_alone(router, sim, residents):
    full_reconcile()
    ok = residents["ok"]
    binding = next(r for r in managed(sim, BINDINGS) if r["mac-address"] == "AC:DE:48:00:01:01")
    sim.menu(BINDINGS).remove(binding[".id"])  # a deleted binding
    sim.menu(LISTS).add({"list": "klient_aktif", "address": "172.16.2.99", "comment": "lps:u=999999:d=1"})
    wrong = next(r for r in managed(sim, LISTS) if r["address"] == "172.16.2.2")
    sim.menu(LISTS).set(wrong[".id"], {"list": "klient_blocked"})  # a wrong list
    foreign = _add_foreign(
        sim,
        (LISTS, {"list": "klient_aktif", "address": "172.16.2.200", "comment": "operator: printer"}),
        (BINDINGS, {"mac-address": "AC:DE:48:FF:FF:01", "type": "bypassed"}),
        (QUEUES, {"name": "uplink", "target": "172.16.2.0/23", "max-limit": "100M/100M"}),
    )
    sim.clear_log()

    [result] = full_reconcile()

    assert result.ok
    assert sorted(entry.verb for entry in sim.writes()) == ["add", "remove", "set"]
    assert bindings(sim)["AC:DE:48:00:01:01"] == "bypassed"
    assert lists(sim)["172.16.2.2"] == "klient_aktif"
    assert "172.16.2.99" not in lists(sim)
    assert _as_they_are(sim, foreign) == foreign
    assert f"lps-u{ok.pk}" in queues(sim)


def test_duplicates_it_owns_are_removed(router, sim, residents):
    full_reconcile()
    original = next(r for r in managed(sim, BINDINGS) if r["mac-address"] == "AC:DE:48:00:01:01")
    sim.menu(BINDINGS).add({k: original[k] for k in ("mac-address", "type", "comment")})

    full_reconcile()

    assert [r["mac-address"] for r in managed(sim, BINDINGS)].count("AC:DE:48:00:01:01") == 1


def test_device_addresses_follow_the_router_and_the_queue_follows_them(router, sim, residents):
    full_reconcile()
    ok = residents["ok"]
    sim.menu("/ip/hotspot/host").add({"mac-address": "AC:DE:48:00:01:02", "address": "172.16.3.50"})

    full_reconcile()

    assert Device.objects.get(mac="AC:DE:48:00:01:02").last_ip == "172.16.3.50"
    assert lists(sim)["172.16.3.50"] == "klient_aktif" and "172.16.2.2" not in lists(sim)
    assert queues(sim)[f"lps-u{ok.pk}"][0] == "172.16.2.1/32,172.16.3.50/32"
    assert leases(sim)["AC:DE:48:00:01:02"] == "172.16.3.50"


def test_a_dropped_connection_mid_run_is_finished_by_the_next_run(router, sim, residents):
    sim.inject("/ip/firewall/address-list/add", drop="after")

    [broken] = full_reconcile()

    assert not broken.ok
    router.refresh_from_db()
    assert router.last_error and router.pending_changes > 0
    [repaired] = full_reconcile()
    assert repaired.ok
    assert len(lists(sim)) == 6 and len(managed(sim, LEASES)) == 6
    router.refresh_from_db()
    assert router.last_error == "" and router.pending_changes == 0
    sim.clear_log()
    full_reconcile()
    assert sim.writes() == []


def test_already_have_such_entry_counts_as_done(router, sim, residents):
    sim.inject("/ip/firewall/address-list/add", trap="failure: already have such entry", times=6)

    [result] = full_reconcile()

    assert result.ok and result.report.errors == []
    assert Router.objects.get(pk=router.pk).pending_changes == 0


def test_an_address_already_listed_by_an_operator_is_not_added_twice(router, sim, residents):
    sim.menu(LISTS).add({"list": "klient_aktif", "address": "172.16.2.1", "comment": "operator"})

    full_reconcile()
    sim.clear_log()
    full_reconcile()

    assert sim.writes() == []
    assert "172.16.2.1" not in lists(sim)


def test_dry_run_plans_without_writing(router, sim, residents):
    [result] = full_reconcile(dry_run=True)

    assert result.ok and result.drift > 0
    assert sim.writes() == []
    assert Router.objects.get(pk=router.pk).pending_changes == result.drift


def _add_foreign(sim, *entries):
    """Add entries as an operator would; returns {(menu, .id): row as the router printed it}."""
    added = {}
    for menu, values in entries:
        entry_id = sim.menu(menu).add(values)
        added[(menu, entry_id)] = sim.menu(menu).get(entry_id)
    return added


def _as_they_are(sim, entries):
    rows = {
        (menu, row[".id"]): row for menu in {menu for menu, _ in entries} for row in sim.menu(menu).rows()
    }
    return {key: rows.get(key) for key in entries}


def test_only_comments_starting_with_lowercase_lps_colon_are_ours(router, sim, residents):
    ok = residents["ok"]
    look_alikes = _add_foreign(
        sim,
        (LISTS, {"list": "klient_aktif", "address": "172.16.9.1", "comment": "lps-other"}),
        (LISTS, {"list": "klient_fup", "address": "172.16.9.2", "comment": f"LPS:u={ok.pk}:d=1"}),
        (BINDINGS, {"mac-address": "AC:DE:48:00:09:09", "type": "blocked", "comment": "lps-other"}),
        (
            QUEUES,
            {"name": "op", "target": "172.16.9.9/32", "max-limit": "1M/1M", "comment": f"LPS:u={ok.pk}"},
        ),
    )

    full_reconcile()
    user_converge(ok.pk)

    assert _as_they_are(sim, look_alikes) == look_alikes


def test_static_leases_go_to_the_configured_dhcp_server(router, sim, residents, settings):
    full_reconcile()  # leases on the router's default server first
    settings.ROUTER_DHCP_SERVER = "dhcp-hotspot"

    full_reconcile()

    assert {row["server"] for row in managed(sim, LEASES)} == {"dhcp-hotspot"}
    assert leases(sim) == {f"AC:DE:48:00:01:{n:02X}": f"172.16.2.{n}" for n in range(1, 7)}


def test_without_static_leases_no_lease_is_made(router, sim, residents, settings):
    settings.ROUTER_STATIC_LEASES = False

    full_reconcile()

    assert managed(sim, LEASES) == [] and len(lists(sim)) == 6
