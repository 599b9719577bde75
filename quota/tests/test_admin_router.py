"""The admin's router views against the simulator: a resident's last known entries (kept by every
converge), the refresh from the router, and the reset action."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device
from accounts.services import user_block
from core.units import GIB
from quota.router_state import full_reconcile, user_converge
from quota.tests.test_admin_resident_actions import confirm
from routers.models import RouterSnapshot

pytestmark = pytest.mark.django_db

BINDINGS = "/ip/hotspot/ip-binding"
QUEUES = "/queue/simple"


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


def test_the_resident_page_shows_the_last_known_entries_with_their_age_without_asking_the_router(
    staff_client, resident_on_router, sim
):
    sim.stop()  # the page must not need the router
    later = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        page = staff_client.get(reverse("admin:accounts_user_change", args=[resident_on_router.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "AC:DE:48:00:00:0A" in text and f"lps-u{resident_on_router.pk}" in text
    assert "Terakhir diketahui 5\xa0menit yang lalu" in text
    assert "Segarkan dari router" in text


def _refresh(client, user):
    return client.post(reverse("admin:accounts_user_router_refresh", args=[user.pk]), follow=True)


def test_refresh_from_the_router_asks_live_and_keeps_what_it_answers(staff_client, resident_on_router, sim):
    [binding] = _managed_bindings(sim, "AC:DE:48:00:00:0A")
    sim.menu(BINDINGS).remove(binding[".id"])  # someone removed it on the router
    url = reverse("admin:accounts_user_change", args=[resident_on_router.pk])
    assert "type=bypassed" in staff_client.get(url).content.decode()  # the last known state
    page = _refresh(staff_client, resident_on_router)
    text = page.content.decode()
    assert "Entri router baru saja dibaca dari router." in text
    assert "type=bypassed" not in text
    assert f"lps-u{resident_on_router.pk}" in text  # the queue is still there
    snapshot = RouterSnapshot.objects.get(user_id=resident_on_router.pk)
    assert BINDINGS not in snapshot.rows


def test_refresh_with_the_router_down_keeps_the_last_known_state_and_says_so(
    staff_client, resident_on_router, sim
):
    sim.stop()
    page = _refresh(staff_client, resident_on_router)
    text = page.content.decode()
    assert "Tidak dapat membaca lab; halaman menampilkan keadaan terakhir yang diketahui." in text
    assert "AC:DE:48:00:00:0A" in text


def test_refresh_is_a_post(staff_client, resident_on_router):
    url = reverse("admin:accounts_user_router_refresh", args=[resident_on_router.pk])
    assert staff_client.get(url).status_code == 405


def test_a_full_converge_keeps_every_user_and_drops_those_gone(make_user, router, sim, fast_router_settings):
    stays, leaves = make_user(quota_bytes=GIB), make_user(quota_bytes=GIB)
    Device.objects.create(user=stays, mac="AC:DE:48:00:00:0B", last_ip="172.16.2.111")
    gone = Device.objects.create(user=leaves, mac="AC:DE:48:00:00:0C", last_ip="172.16.2.112")
    [result] = full_reconcile(router=router)
    assert result.ok
    kept = {item.user_id: item.rows for item in RouterSnapshot.objects.filter(router=router)}
    assert set(kept) == {stays.pk, leaves.pk}
    assert kept[stays.pk][BINDINGS] == [
        {
            "mac-address": "AC:DE:48:00:00:0B",
            "type": "bypassed",
            "comment": f"lps:u={stays.pk}:d=" + str(stays.devices.get().pk),
        }
    ]
    gone.delete()
    full_reconcile(router=router)
    router.refresh_from_db()
    assert set(RouterSnapshot.objects.filter(router=router).values_list("user_id", flat=True)) == {stays.pk}
    assert router.snapshot_at is not None
    # A dry run and a converged router leave what they found.
    before = RouterSnapshot.objects.get(user_id=stays.pk).taken_at
    full_reconcile(router=router, dry_run=True)
    assert RouterSnapshot.objects.get(user_id=stays.pk).taken_at == before


def test_the_kept_state_is_what_the_router_holds_after_the_converge(
    make_user, router, sim, fast_router_settings
):
    resident = make_user(quota_bytes=GIB)
    Device.objects.create(user=resident, mac="AC:DE:48:00:00:0D", last_ip="172.16.2.113")
    full_reconcile(router=router)
    user_block(user=resident, actor=None, reason="uji")
    user_converge(resident.pk)
    [item] = RouterSnapshot.objects.filter(user_id=resident.pk)
    live = [row for row in sim.menu(BINDINGS).rows() if row["comment"].startswith(f"lps:u={resident.pk}:")]
    assert [row["type"] for row in item.rows[BINDINGS]] == [row["type"] for row in live] == ["blocked"]
    assert QUEUES not in item.rows  # a blocked resident has no queue


def test_reset_router_state_recreates_a_deleted_binding(staff_client, resident_on_router, sim):
    [binding] = _managed_bindings(sim, "AC:DE:48:00:00:0A")
    sim.menu(BINDINGS).remove(binding[".id"])
    _, response = confirm(staff_client, resident_on_router, "router_reset", reason="HP tidak tersambung")
    assert response.status_code in (200, 302)
    assert len(_managed_bindings(sim, "AC:DE:48:00:00:0A")) == 1
