"""Devices with no traffic for DEVICE_PRUNE_DAYS are pruned with their router entries; traffic keeps them."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device
from core.units import GIB
from quota.metering.cycles import usage_cycle
from quota.pruning import devices_prune, devices_pruned_for
from quota.router_state import user_converge
from quota.tests.usage_support import *  # noqa: F403 - fixtures

BINDINGS = "/ip/hotspot/ip-binding"


def _binding_macs(sim):
    return {
        row["mac-address"] for row in sim.menu(BINDINGS).rows() if row.get("comment", "").startswith("lps:")
    }


def test_idle_device_is_pruned_with_its_router_entries_and_the_resident_sees_it(
    resident, sim, after_commit, client
):
    user, _ = resident(quota_bytes=GIB)
    kept = Device.objects.get(user=user)
    idle = Device.objects.create(
        user=user, mac="AC:DE:48:00:09:01", last_ip="172.16.3.9", label="HP lama",
        last_seen=timezone.now() - timedelta(days=15),
    )  # fmt: skip
    user_converge(user.pk)
    assert idle.mac in _binding_macs(sim)

    with after_commit():
        pruned = devices_prune()

    assert [item["mac"] for item in pruned] == [idle.mac]
    assert list(Device.objects.filter(user=user)) == [kept]
    assert idle.mac not in _binding_macs(sim) and kept.mac in _binding_macs(sim)
    assert [(item["mac"], item["label"]) for item in devices_pruned_for(user)] == [(idle.mac, "HP lama")]
    client.force_login(user)
    page = client.get(reverse("resident:devices")).content.decode()
    assert "Dihapus karena tidak aktif" in page and idle.mac in page and "HP lama" in page


def test_traffic_seen_by_the_router_keeps_a_device(resident, sim, after_commit):
    user, ip = resident(quota_bytes=GIB)
    device = Device.objects.get(user=user)
    Device.objects.filter(pk=device.pk).update(last_seen=timezone.now() - timedelta(days=20))
    sim.menu("/ip/hotspot/host").add({"mac-address": device.mac, "address": ip, "bypassed": "true"})
    start = timezone.now()
    sim.advance(30)
    usage_cycle(now=lambda: start + timedelta(seconds=sim.now()))

    with after_commit():
        call_command("usage_sync")  # the command runs the same cycle on the real clock
        pruned = devices_prune()
    assert pruned == [] and Device.objects.filter(pk=device.pk).exists()
