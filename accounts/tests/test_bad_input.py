"""Bad input gets a clear Indonesian message and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import AuditEntry, Device, User
from accounts.services import device_authorize, room_resolve, user_register
from core.mac import is_locally_administered, normalize_mac
from core.phone import normalize_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
    ],
)
def test_common_phone_forms_normalise_to_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "0812", "abc", "+1 202", "08123456789012345"])
def test_an_invalid_phone_gets_a_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert "nomor" in excinfo.value.messages[0].lower()


@pytest.mark.parametrize(
    ("raw", "mac"), [("ac-de-48-00-00-01", "AC:DE:48:00:00:01"), ("acde.4800.0001", "AC:DE:48:00:00:01")]
)
def test_mac_forms_normalise_to_upper_case_colons(raw, mac):
    assert normalize_mac(raw) == mac


def test_a_random_mac_is_recognised():
    assert is_locally_administered("DA:A1:19:00:00:01")
    assert not is_locally_administered("AC:DE:48:00:00:01")


@pytest.mark.django_db
@pytest.mark.parametrize("mac", ["AC:DE:48:00:00", "ZZ:DE:48:00:00:01", "", "AC:DE:48:00:00:01:02"])
def test_a_mac_in_the_wrong_format_is_refused_and_writes_nothing(make_user, mac):
    user = make_user()
    with pytest.raises(ValidationError) as excinfo:
        device_authorize(user=user, mac=mac)
    assert "MAC" in excinfo.value.messages[0]
    assert not Device.objects.filter(user=user).exists()
    assert not AuditEntry.objects.filter(target_user=user).exists()


@pytest.mark.django_db
def test_an_unknown_room_is_refused_with_its_name(room):
    with pytest.raises(ValidationError) as excinfo:
        room_resolve(block_name="Z", room_name="99")
    assert "99" in excinfo.value.messages[0] and "Z" in excinfo.value.messages[0]


@pytest.mark.django_db
def test_registration_with_an_invalid_phone_writes_nothing(room):
    with pytest.raises(ValidationError):
        user_register(phone="0812", full_name="Budi Santoso", room=room)
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_registration_without_a_location_writes_nothing():
    with pytest.raises(ValidationError) as excinfo:
        user_register(phone="081234567890", full_name="Budi Santoso")
    assert "kamar" in excinfo.value.messages[0].lower()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_registration_creates_a_pending_resident_with_an_audit_row(room):
    user = user_register(phone="081234567890", full_name="Budi Santoso", room=room)
    assert user.approval_status == User.Approval.PENDING and user.block_id == room.block_id
    assert AuditEntry.objects.filter(action="user.register", target_user=user).exists()


@pytest.mark.django_db
def test_the_grant_command_refuses_bad_input_clearly(make_user):
    user = make_user()
    with pytest.raises(CommandError, match="invalid phone"):
        call_command("quota_grant", "--phone", "0812", "--gb", "1", "--days", "3")
    with pytest.raises(CommandError, match="negatif"):
        call_command("quota_grant", "--phone", user.phone, "--gb", "-1", "--days", "3")
    with pytest.raises(CommandError):
        call_command("quota_grant", "--phone", user.phone, "--gb", "lots", "--days", "3")
    assert not user.quota_entries.exists()


@pytest.mark.django_db
def test_the_grant_and_show_commands_work_for_support(make_user, capsys):
    user = make_user()
    call_command("quota_grant", "--phone", user.phone.replace("+62", "0"), "--mb", "512", "--days", "7")
    call_command("quota_show", "--phone", user.phone, "--json")
    out = capsys.readouterr().out
    assert '"remaining_bytes": 536870912' in out and '"status": "ok"' in out
