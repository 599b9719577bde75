"""Registration on the captive portal: clear Indonesian messages, nothing created on bad input."""

import pytest

from accounts.models import AuditEntry, TampingType, User
from core.testing.turnstile_fake import DUMMY_TOKEN, FAIL_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(client, turnstile):
    def post(**fields):
        data = {"phone": "081299990001", "full_name": "Budi Santoso", "cf-turnstile-response": DUMMY_TOKEN}
        data.update(fields)
        return client.post("/captive/daftar/", data)

    return post


def test_a_new_resident_waits_for_approval(register, room):
    response = register(room=room.pk)
    assert response["Location"] == "/captive/daftar/menunggu/"
    user = User.objects.get(phone="+6281299990001")
    assert (user.approval_status, user.room, user.block_id) == (User.Approval.PENDING, room, room.block_id)
    assert AuditEntry.objects.filter(action="user.register", target_user=user).exists()


def test_a_taken_number_gets_the_same_answer_as_a_new_one_and_changes_nothing(register, make_user, room):
    """Otherwise registration would tell anyone which numbers belong to residents."""
    existing = make_user(full_name="Asli Pemilik")
    fresh = register(phone="081299990002", room=room.pk)
    taken = register(phone="0" + existing.phone[3:], full_name="Orang Lain", room=room.pk)  # another format
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    existing.refresh_from_db()
    assert existing.full_name == "Asli Pemilik"
    assert User.objects.filter(phone=existing.phone).count() == 1
    assert not AuditEntry.objects.filter(action="user.register", target_user=existing).exists()


@pytest.mark.parametrize(
    "case, fields, message",
    [
        ("no location", {"room": ""}, "Pilih blok dan kamar, atau jenis tamping."),
        ("room and tamping", {"_both": True}, "Pilih kamar atau jenis tamping, jangan keduanya."),
        ("a room that is not offered", {"room": 999999}, "Masukkan pilihan yang valid."),
        ("a bad number", {"phone": "12345"}, "Masukkan nomor HP yang benar"),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nobody(register, room, case, fields, message):
    if fields.pop("_both", False):
        fields = {"room": room.pk, "tamping_type": TampingType.objects.create(name="Dapur").pk}
    response = register(**fields)
    assert response.status_code == 200, case
    assert message in response.content.decode(), case
    assert not User.objects.exists(), case


def test_a_failed_security_check_registers_nobody(register, room, settings):
    settings.TURNSTILE_SECRET_KEY = FAIL_SECRET
    response = register(room=room.pk)
    assert "Pemeriksaan keamanan gagal" in response.content.decode()
    assert not User.objects.exists()


def test_typing_mistakes_do_not_use_up_the_registration_limit(register, room, settings):
    """The per-IP limit counts registrations that reach the security check, not forms sent back for a fix."""
    settings.REGISTER_RATE_PER_IP = "2/h"
    for _ in range(4):
        assert register(room="").status_code == 200
    assert register(room=room.pk).status_code == 302
    assert register(phone="081299990002", room=room.pk).status_code == 302
    assert register(phone="081299990003", room=room.pk).status_code == 429
    assert User.objects.count() == 2
