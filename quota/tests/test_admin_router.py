"""The admin's router views against the simulator: a resident's live entries, and the reset action."""

import pytest
from django.urls import reverse

from accounts.models import Device
from core.units import GIB
from quota.router_state import user_converge
from quota.tests.test_admin_resident_actions import confirm

pytestmark = pytest.mark.django_db

BINDINGS = "/ip/hotspot/ip-binding"


@pytest.fixture
def resident_on_router(make_user, router, sim, fast_router_settings):
    resident = make_user(quota_bytes=2 * GIB)
    Device.objects.create(user=resident, mac="AC:DE:48:00:00:0A", last_ip="172.16.2.110", label="HP Andi")
    user_converge(resident.pk)
    return resident


def _managed_bindings(sim, mac):
    return [
        row
        for row in sim.menu(BINDINGS).rows()
        if row["mac-address"] == mac and row["comment"].startswith("lps:")
    ]


def test_the_resident_page_lists_the_router_entries_that_belong_to_the_resident(
    staff_client, resident_on_router, sim
):
    page = staff_client.get(reverse("admin:accounts_user_change", args=[resident_on_router.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "AC:DE:48:00:00:0A" in text and "bypassed" in text
    assert f"lps-u{resident_on_router.pk}" in text  # the resident's queue


def test_the_resident_page_renders_with_a_note_when_the_router_is_down(staff_client, resident_on_router, sim):
    sim.stop()
    page = staff_client.get(reverse("admin:accounts_user_change", args=[resident_on_router.pk]))
    assert page.status_code == 200
    assert "Router tidak dapat dihubungi" in page.content.decode()


def test_reset_router_state_recreates_a_deleted_binding(staff_client, resident_on_router, sim):
    [binding] = _managed_bindings(sim, "AC:DE:48:00:00:0A")
    sim.menu(BINDINGS).remove(binding[".id"])
    _, response = confirm(staff_client, resident_on_router, "router_reset", reason="HP tidak tersambung")
    assert response.status_code in (200, 302)
    assert len(_managed_bindings(sim, "AC:DE:48:00:00:0A")) == 1
