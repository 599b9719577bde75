"""Names typed by staff in the admin: blocks, rooms (also inline), tamping types, packages, residents.

(The staff fixture's resident fixtures create block "A" with room "1"; the tests count what is added.)"""

import pytest
from django.urls import reverse

from accounts.models import Block, Room, TampingType, User
from billing.models import Package
from sites.models import Site

pytestmark = pytest.mark.django_db

INVISIBLE = "Nama berisi karakter tak terlihat atau karakter kontrol"


@pytest.mark.parametrize("name", ["A\u202e", "\u200bA", "A\x1b", "-"])
def test_a_block_with_a_hidden_or_letterless_name_is_refused(staff_client, name):
    blocks = Block.objects.count()
    data = {"name": name, "rooms-TOTAL_FORMS": "0", "rooms-INITIAL_FORMS": "0"}
    response = staff_client.post(reverse("admin:accounts_block_add"), data)
    assert response.status_code == 200
    assert "Nama " in response.content.decode()
    assert Block.objects.count() == blocks


def test_a_room_added_inline_with_an_override_is_refused_and_numbers_are_fine(staff_client):
    data = {
        "site": Site.objects.default().pk,
        "name": " G ",
        "rooms-TOTAL_FORMS": "2",
        "rooms-INITIAL_FORMS": "0",
        "rooms-0-name": "12",
        "rooms-1-name": "1\u202e3",
    }
    response = staff_client.post(reverse("admin:accounts_block_add"), data)
    assert INVISIBLE in response.content.decode()
    assert not Block.objects.filter(name="G").exists()
    data["rooms-1-name"] = " 13  B "
    staff_client.post(reverse("admin:accounts_block_add"), data)
    block = Block.objects.get(name="G")
    assert block.name == "G"
    assert sorted(block.rooms.values_list("name", flat=True)) == ["12", "13 B"]


def test_a_room_and_a_tamping_type_with_hidden_characters_are_refused(staff_client):
    block = Block.objects.create(name="H")
    rooms, tamping_types = Room.objects.count(), TampingType.objects.count()
    response = staff_client.post(reverse("admin:accounts_room_add"), {"name": "\u200b", "block": block.pk})
    assert "Nama " in response.content.decode()
    response = staff_client.post(
        reverse("admin:accounts_tampingtype_add"), {"site": Site.objects.default().pk, "name": "Dapur\u202e"}
    )
    assert INVISIBLE in response.content.decode()
    response = staff_client.post(
        reverse("admin:accounts_tampingtype_add"), {"site": Site.objects.default().pk, "name": "777"}
    )
    assert "Nama harus berisi setidaknya satu huruf." in response.content.decode()
    assert (Room.objects.count(), TampingType.objects.count()) == (rooms, tamping_types)


def test_a_package_name_with_an_override_is_refused(staff_client):
    data = {
        "name": "Paket\u202e BG 01",
        "price": "10000",
        "quota_bytes_0": "1",
        "quota_bytes_1": "GB",
        "validity_days": "30",
        "rate_tier": "",
        "is_active": "on",
    }
    response = staff_client.post(reverse("admin:billing_package_add"), data)
    assert INVISIBLE in response.content.decode()
    assert not Package.objects.exists()
    staff_client.post(reverse("admin:billing_package_add"), {**data, "name": "  Paket   1 GB "})
    assert Package.objects.get().name == "Paket 1 GB"


def test_a_resident_added_or_edited_in_the_admin_gets_the_names_rule(staff_client, room, make_user):
    url = reverse("admin:accounts_user_add")
    data = {"phone_input": "081299990002", "full_name": "Warga\u200bBaru", "role": "USER", "room": room.pk}
    response = staff_client.post(url, data)
    assert INVISIBLE in response.content.decode()
    assert not User.objects.filter(phone="+6281299990002").exists()
    resident = make_user(full_name="Budi Santoso")
    change = reverse("admin:accounts_user_change", args=[resident.pk])
    staff_client.post(change, {"full_name": "\u202eBudi", "role": "USER", "is_active": "on", "room": room.pk})
    resident.refresh_from_db()
    assert resident.full_name == "Budi Santoso"
