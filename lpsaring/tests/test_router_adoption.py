"""`router_sync --adopt-lpsaring`: a simulator holding the Flask deployment's entries for residents
imported by import_lpsaring (the colleague's Flask fixture, 120 residents and 300 devices) is taken over
while a hook samples the router after every write: nobody bypassed before ever loses bypass, the router
ends exactly converged, Flask's entries are gone and the operator's are still there and listed."""

import pytest
import time_machine
from django.core.management import call_command

from lpsaring.takeover import flask_fixture
from lpsaring.takeover.flask_router import flask_router_plant
from lpsaring.takeover.service import lpsaring_import
from quota.adoption import router_adopt
from quota.router_state import full_reconcile
from quota.status import AccessStatus
from routers.adoption import HOTSPOT_PROFILES, HOTSPOT_USERS, is_flask
from routers.reconcile import ADDRESS_LIST, BINDINGS, LEASES
from sites.models import Site

ORPHAN_MAC = "02:99:00:00:00:01"


def _bypassed(sim) -> set[str]:
    return {
        row["mac-address"]
        for row in sim.menu(BINDINGS).rows()
        if row.get("type") == "bypassed" and row.get("disabled") != "true"
    }


def _allowed(sim) -> set[tuple[str, str]]:
    """(list, address) of every entry in the lists that let a resident through (ok and fup)."""
    return {
        (row["list"], row["address"])
        for row in sim.menu(ADDRESS_LIST).rows()
        if row["list"] in ("klient_aktif", "klient_fup") and row.get("disabled") != "true"
    }


def _operator_entries(sim) -> dict[str, str]:
    """What the operator set up by hand: none of it may be touched."""
    return {
        BINDINGS: sim.menu(BINDINGS).add(
            {"mac-address": "02:AA:00:00:00:01", "type": "bypassed", "comment": "printer kantor"}
        ),
        ADDRESS_LIST: sim.menu(ADDRESS_LIST).add(
            {"list": "Bypass_Server", "address": "172.16.2.3", "comment": "source=banking-sync"}
        ),
        LEASES: sim.menu(LEASES).add(
            {"address": "172.16.2.9", "mac-address": "02:AA:00:00:00:01", "comment": "printer"}
        ),
        HOTSPOT_USERS: sim.menu(HOTSPOT_USERS).add(
            {"name": "tamu", "profile": "komandan", "comment": "operator"}
        ),
        HOTSPOT_PROFILES: sim.menu(HOTSPOT_PROFILES).add({"name": "staff"}),
    }


@pytest.fixture
def flask_router(sim, router, fast_router_settings):
    with flask_fixture.flask_database() as url:
        flask_fixture.fill(url, residents=120, devices=300, transactions=300)
        with time_machine.travel(flask_fixture.NOW, tick=False):
            lpsaring_import(source_url=url, site=Site.objects.default())
            planted = flask_router_plant(sim)
            # Flask leftovers: a bypass for a device nobody here owns, a timed unauthorized entry, and a
            # second status entry for a resident's address (Flask's multi-status drift).
            sim.menu(BINDINGS).add(
                {
                    "mac-address": ORPHAN_MAC,
                    "type": "bypassed",
                    "comment": "authorized|user=089900000001|uid=gone|role=USER",
                }
            )
            sim.menu(ADDRESS_LIST).add(
                {
                    "list": "klient_unauthorized",
                    "address": "10.99.0.5",
                    "timeout": "1h",
                    "comment": "lpsaring:unauthorized mac=02:99:00:00:00:02",
                }
            )
            some_ip = next(
                row["address"] for row in sim.menu(ADDRESS_LIST).rows() if row["list"] == "klient_aktif"
            )
            sim.menu(ADDRESS_LIST).add(
                {
                    "list": "klient_habis",
                    "address": some_ip,
                    "comment": "lpsaring|status=habis|user=0812|uid=x",
                }
            )
            yield planted, _operator_entries(sim)


@pytest.mark.django_db(transaction=True)
def test_takeover_keeps_every_bypass_and_ends_converged(sim, router, flask_router, capsys):
    planted, operator = flask_router
    statuses = set(planted.statuses.values())
    assert {AccessStatus.OK, AccessStatus.BLOCKED, AccessStatus.HABIS} <= statuses  # the mix the test needs
    before = _bypassed(sim)
    residents_bypassed = planted.macs["bypassed"]
    assert residents_bypassed and residents_bypassed <= before and planted.macs["blocked"]
    kept = before - {ORPHAN_MAC}
    allowed = _allowed(sim)
    assert len(allowed) > 50
    samples, lost = [], []

    def sample(entry):
        now, listed = _bypassed(sim), _allowed(sim)
        samples.append(entry.command)
        if kept - now or allowed - listed:
            lost.append((str(entry), sorted(kept - now)[:3], sorted(allowed - listed)[:3]))

    sim.on_write(sample)
    with time_machine.travel(flask_fixture.NOW, tick=False):
        call_command("router_sync", "--adopt-lpsaring")
        sim.remove_write_hook(sample)
        out = capsys.readouterr().out

        assert lost == []
        assert len(samples) > 100  # every re-label, add and remove was sampled
        assert any(c.endswith("/set") for c in samples) and any(c.endswith("/remove") for c in samples)
        # Exactly our desired state: nothing left to converge, and a second takeover writes nothing.
        assert [r.drift for r in full_reconcile(router, dry_run=True)] == [0]
        sim.clear_log()
        second = router_adopt(router)
        assert second.ok and second.report.commands == 0 and sim.writes() == []
        assert [r.report.writes for r in full_reconcile(router)] == [0]

    after = _bypassed(sim)
    assert kept <= after and ORPHAN_MAC not in after and allowed <= _allowed(sim)
    assert f"{ORPHAN_MAC} (user=089900000001 uid=gone)" in out
    for menu in (BINDINGS, ADDRESS_LIST, LEASES):
        rows = sim.menu(menu).rows()
        assert not [row for row in rows if is_flask(menu, row.get("comment"))], menu
        assert {row["comment"] for row in rows if row[".id"] != operator[menu]} <= {
            row["comment"] for row in rows if row.get("comment", "").startswith("lps:")
        }
    assert [row["name"] for row in sim.menu(HOTSPOT_USERS).rows()] == ["tamu"]
    assert sorted(row["name"] for row in sim.menu(HOTSPOT_PROFILES).rows()) == [
        "default",
        "komandan",
        "staff",
    ]
    for menu, entry_id in operator.items():
        sim.menu(menu).get(entry_id)  # still there
    for listed in (
        "printer kantor",
        "source=banking-sync",
        "'printer'",
        "name=tamu",
        "name=staff",
        "name=komandan",
    ):
        assert listed in out, listed


@pytest.mark.django_db(transaction=True)
def test_dry_run_prints_the_plan_and_writes_nothing(sim, router, flask_router, capsys):
    with time_machine.travel(flask_fixture.NOW, tick=False):
        call_command("router_sync", "--adopt-lpsaring", "--dry-run")
    out = capsys.readouterr().out
    assert sim.writes() == []
    assert "re-label:" in out and "=comment=" not in out and "comment=lps:u=" in out
    assert "remove /ip/hotspot/user " in out and "(dry run: nothing written)" in out
    assert "left alone (not lpsaring's): /ip/hotspot/ip-binding" in out
