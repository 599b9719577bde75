"""router_sync, router_check and the reconcile schedule, as an operator runs them."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Device
from core.units import GIB
from lpsaring.schedules import declared_schedules
from quota.tasks import router_reconcile_task as router_reconcile
from routers.tests.helpers import bindings

pytestmark = pytest.mark.usefixtures("fast_router_settings")


@pytest.fixture
def resident(make_user):
    user = make_user(quota_bytes=10 * GIB)
    Device.objects.create(user=user, mac="AC:DE:48:00:03:01", last_ip="172.16.2.31")
    return user


def test_router_sync_dry_run_prints_the_plan_and_changes_nothing(router, sim, resident, capsys):
    call_command("router_sync", "--dry-run")

    out = capsys.readouterr().out
    assert "add /ip/hotspot/ip-binding" in out and "AC:DE:48:00:03:01" in out
    assert "lab: 4 difference(s) to apply (dry run)" in out
    assert sim.writes() == []


def test_router_sync_converges_the_named_router(router, sim, resident, capsys):
    call_command("router_sync", "--router", "lab")

    assert "lab: 4 added, 0 changed, 0 removed" in capsys.readouterr().out
    assert bindings(sim) == {"AC:DE:48:00:03:01": "bypassed"}


def test_router_sync_names_an_unknown_router(router, resident):
    with pytest.raises(CommandError, match="no router named 'nope'"):
        call_command("router_sync", "--router", "nope")


def test_router_check_prints_identity_version_and_drift(router, sim, resident, capsys):
    call_command("router_check")
    first = capsys.readouterr().out
    router_reconcile()
    call_command("router_check")
    second = capsys.readouterr().out

    assert "lab 127.0.0.1" in first and "identity=lab-router" in first and "version=7." in first
    assert "drift=4" in first and "drift=0" in second
    assert sim.writes() == [entry for entry in sim.writes() if entry.verb == "add"]  # only the sync wrote


def test_router_check_reports_a_router_that_is_down(db, closed_port, capsys):
    from routers.models import Router

    Router.objects.create(name="far", host="127.0.0.1", port=closed_port, username="api")
    with pytest.raises(CommandError):
        call_command("router_check")
    assert "far 127.0.0.1" in capsys.readouterr().out


def test_the_reconcile_runs_every_five_minutes():
    [schedule] = [item for item in declared_schedules() if item["name"] == "router-reconcile"]
    assert schedule == {"name": "router-reconcile", "func": "quota.tasks.router_reconcile_task", "minutes": 5}


def test_demo_hosts_let_the_reconciler_learn_device_addresses(router, sim, make_user):
    from routers.demo import demo_ip, demo_mac, plant_demo_hosts

    plant_demo_hosts(sim, 20)
    user = make_user(quota_bytes=10 * GIB)
    Device.objects.create(user=user, mac=demo_mac(7))

    router_reconcile()

    assert Device.objects.get(mac=demo_mac(7)).last_ip == demo_ip(7) == "172.16.2.107"
    assert bindings(sim) == {"AC:DE:48:00:00:07": "bypassed"}
