"""Names through the real pages: registration on the captive portal and renaming a device."""

import pytest

from accounts.models import Device, User
from core.testing.turnstile_fake import DUMMY_TOKEN

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Budi\u202eotnaS", "Nama berisi karakter tak terlihat atau karakter kontrol"),
        ("Budi\u200bSantoso", "Nama berisi karakter tak terlihat atau karakter kontrol"),
        ("Budi\x07Santoso", "Nama berisi karakter tak terlihat atau karakter kontrol"),
        ("123 456", "Nama harus berisi setidaknya satu huruf."),
        ("B" * 121, "Nama terlalu panjang (paling banyak 120 karakter)."),
    ],
)
def test_registration_page_refuses_a_hostile_name_clearly(client, turnstile, room, name, message):
    data = {"phone": "081299990001", "full_name": name, "room": room.pk, "cf-turnstile-response": DUMMY_TOKEN}
    response = client.post("/captive/daftar/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_registration_page_stores_a_tidied_name(client, turnstile, room):
    data = {"phone": "081299990001", "full_name": "  Budi \t Santoso ", "room": room.pk}
    client.post("/captive/daftar/", {**data, "cf-turnstile-response": DUMMY_TOKEN})
    assert User.objects.get().full_name == "Budi Santoso"


def test_device_page_refuses_a_hidden_override_in_a_label(client, make_user):
    resident = make_user()
    device = Device.objects.create(user=resident, mac="AC:DE:48:00:00:01", label="HP Andi")
    client.force_login(resident)
    response = client.post(f"/akun/perangkat/{device.pk}/ubah/", {"label": "HP\u202eidnA"})
    assert "Nama berisi karakter tak terlihat atau karakter kontrol" in response.content.decode()
    device.refresh_from_db()
    assert device.label == "HP Andi"
