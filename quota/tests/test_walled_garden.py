"""The walled garden for payments: resolved into a list on the router, kept through DNS failures, aged out
after a week, and what a `habis` resident may reach while the hotspot captures them."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings

from accounts.models import Device
from quota.router_state import full_reconcile
from routers.models import WalledGardenAddress
from routers.tests.helpers import LISTS, bindings, lists
from routers.walled_garden import ResolveError, walled_garden_converge, walled_garden_refresh

pytestmark = pytest.mark.usefixtures("fast_router_settings")

START = datetime(2026, 3, 2, 2, 0, tzinfo=ZoneInfo("Asia/Makassar"))
DOMAINS = ["app.midtrans.com", "ib.bank.example"]


class FakeDns:
    """Answers from a table; a domain marked down raises like a DNS timeout."""

    def __init__(self, table):
        self.table = table
        self.down: set[str] = set()

    def __call__(self, domain):
        if domain in self.down:
            raise ResolveError(f"{domain}: timeout")
        return self.table[domain]


def garden(sim):
    return {
        row["address"]: row["comment"] for row in sim.menu(LISTS).rows() if row["list"] == "lps_walled_garden"
    }


@pytest.fixture
def dns(settings):
    settings.WALLED_GARDEN_DOMAINS = DOMAINS
    return FakeDns(
        {"app.midtrans.com": ["103.10.1.1"], "ib.bank.example": ["103.10.2.2", "103.10.2.3", "10.0.0.1"]}
    )


def test_the_bank_list_survives_a_dns_failure_and_ages_out_after_a_week(router, sim, dns):
    with time_machine.travel(START, tick=False):
        walled_garden_refresh(resolver=dns)
        assert walled_garden_converge(router)[0]
    assert garden(sim) == {
        "103.10.1.1": "lps:wg:app.midtrans.com",
        "103.10.2.2": "lps:wg:ib.bank.example",
        "103.10.2.3": "lps:wg:ib.bank.example",
    }  # a private answer (10.0.0.1) is never let through

    dns.down.add("ib.bank.example")
    with time_machine.travel(START + timedelta(days=3), tick=False):
        report = walled_garden_refresh(resolver=dns)
        walled_garden_converge(router)
    assert report.failed == ["ib.bank.example"]
    assert set(garden(sim)) == {"103.10.1.1", "103.10.2.2", "103.10.2.3"}

    full_reconcile(router)  # the user reconciler leaves the garden alone
    assert len(garden(sim)) == 3

    with time_machine.travel(START + timedelta(days=7, hours=1), tick=False):
        report = walled_garden_refresh(resolver=dns)
        walled_garden_converge(router)
    assert report.aged_out == 2
    assert garden(sim) == {"103.10.1.1": "lps:wg:app.midtrans.com"}


def test_a_changed_answer_replaces_the_old_address_after_a_week(router, sim, dns):
    with time_machine.travel(START, tick=False):
        walled_garden_refresh(resolver=dns)
    dns.table["app.midtrans.com"] = ["103.10.1.9"]
    with time_machine.travel(START + timedelta(days=8), tick=False):
        walled_garden_refresh(resolver=dns)
    assert set(
        WalledGardenAddress.objects.filter(domain="app.midtrans.com").values_list("address", flat=True)
    ) == {"103.10.1.9"}


def test_a_habis_resident_reaches_the_walled_garden_only(router, sim, dns, make_user):
    """The simulator does not forward packets: what decides reachability is that a `habis` device has no
    bypass (the hotspot captures it), sits in the habis list, and the hotspot's walled garden lets through
    the addresses of lps_walled_garden (deploy/routeros/bootstrap.rsc), which the router holds."""
    habis = make_user(quota_bytes=0)
    Device.objects.create(user=habis, mac="AC:DE:48:00:03:01", last_ip="172.16.2.21")
    with time_machine.travel(START, tick=False):
        walled_garden_refresh(resolver=dns)
        full_reconcile(router)
        walled_garden_converge(router)

    assert "AC:DE:48:00:03:01" not in bindings(sim)
    assert lists(sim)["172.16.2.21"] == django_settings.ROUTER_LIST_HABIS
    assert len(garden(sim)) == 3
    script = (Path(django_settings.BASE_DIR) / "deploy/routeros/bootstrap.rsc").read_text()
    assert 'walled-garden ip add dst-address-list="lps_walled_garden" action=accept' in script
