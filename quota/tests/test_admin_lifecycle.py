"""The lifecycle and hygiene pages of the admin: release and transfer behind confirmation, the broadcast
preview with its count, free riders blocked or registered."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Block, Device, Room
from core.units import GIB
from quota.models import Broadcast
from quota.tests.test_admin_resident_actions import confirm
from routers.models import FreeRider

pytestmark = pytest.mark.django_db


def test_release_shows_the_remaining_quota_then_closes_the_account(staff_client, make_user):
    resident = make_user(quota_bytes=3 * GIB)
    preview, done = confirm(staff_client, resident, "release", reason="Bebas")
    assert "3,00 GB" in preview.content.decode()
    assert done.status_code == 302
    resident.refresh_from_db()
    assert not resident.is_active and resident.phone.startswith("x-")


def test_transfer_to_another_room(staff_client, make_user):
    resident = make_user(quota_bytes=GIB)
    room = Room.objects.create(block=Block.objects.create(name="C"), name="7")
    _preview, done = confirm(staff_client, resident, "transfer", room=room.pk)
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.room == room


def test_the_broadcast_page_previews_the_count_then_queues(staff_client, make_user, outbox):
    make_user(quota_bytes=GIB)
    make_user(quota_bytes=GIB)
    url = reverse("admin:quota_broadcast_add")
    preview = staff_client.post(url, {"text": "Besok ada kunjungan", "audience": "all"})
    assert "2" in preview.context["count"].__str__() and not Broadcast.objects.exists()
    done = staff_client.post(url, {"text": "Besok ada kunjungan", "audience": "all", "send": "1"})
    assert done.status_code == 302
    assert Broadcast.objects.get().recipients.count() == 2


@pytest.mark.parametrize(("text", "audience"), [("", "all"), ("Halo", "status:blocked")])
def test_the_broadcast_page_refuses_an_empty_text_or_nobody(staff_client, make_user, text, audience):
    make_user(quota_bytes=GIB)
    page = staff_client.post(
        reverse("admin:quota_broadcast_add"), {"text": text, "audience": audience, "send": "1"}
    )
    assert page.status_code == 200 and not Broadcast.objects.exists()


def test_a_free_rider_registered_to_a_resident_becomes_their_device(staff_client, make_user, router):
    resident = make_user(quota_bytes=GIB)
    now = timezone.now()
    rider = FreeRider.objects.create(
        router=router, mac="DE:AD:BE:EF:00:07", address="172.16.2.77", first_seen=now, last_seen=now
    )
    url = reverse("admin:routers_freerider_do", args=[rider.pk, "register_mac"])
    token = staff_client.get(url).context["form"]["token"].value()
    staff_client.post(url, {"token": token, "resident": resident.pk, "_lps_step": "preview"})
    staff_client.post(url, {"token": token, "resident": resident.pk, "_lps_step": "apply"})
    assert Device.objects.filter(user=resident, mac="DE:AD:BE:EF:00:07", is_authorized=True).exists()
    assert not FreeRider.objects.exists()


def test_a_free_rider_is_registered_only_to_a_resident_of_its_own_site(staff_client, make_user, router):
    from django.core.exceptions import ValidationError

    from quota.hygiene.services import free_rider_register
    from sites.models import Site

    other = Site.objects.create(
        name="Rutan", code="RUTAN", time_zone="Asia/Makassar", client_cidrs="10.8.0.0/16"
    )
    room = Room.objects.create(block=Block.objects.create(name="R", site=other), name="1")
    stranger = make_user(quota_bytes=GIB, room=room, block=room.block, full_name="Warga Rutan")
    neighbour = make_user(quota_bytes=GIB, full_name="Warga Lapas")
    now = timezone.now()
    rider = FreeRider.objects.create(
        router=router, mac="DE:AD:BE:EF:00:08", address="172.16.2.78", first_seen=now, last_seen=now
    )
    url = reverse("admin:routers_freerider_do", args=[rider.pk, "register_mac"])
    form = staff_client.get(url).context["form"]
    offered = set(form.fields["resident"].queryset.values_list("pk", flat=True))
    assert neighbour.pk in offered and stranger.pk not in offered

    token = form["token"].value()
    for step in ("preview", "apply"):
        page = staff_client.post(url, {"token": token, "resident": stranger.pk, "_lps_step": step})
        assert page.status_code == 200 and page.context["form"].errors
    with pytest.raises(ValidationError):
        free_rider_register(rider=rider, user=stranger, actor=None)
    assert not Device.objects.filter(mac="DE:AD:BE:EF:00:08").exists()
    assert FreeRider.objects.filter(pk=rider.pk).exists()
