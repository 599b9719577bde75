"""The account services apply the names rule themselves, whoever calls them."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry, Device, User
from accounts.services import device_rename, user_profile_update, user_register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Budi\u202eotnaS", "Budi\u200bSantoso", "1234567", "Budi\x00Santoso"])
def test_registration_refuses_a_hostile_name_and_writes_nothing(room, name):
    with pytest.raises(ValidationError):
        user_register(phone="081234567890", full_name=name, room=room)
    assert not User.objects.exists() and not AuditEntry.objects.exists()


def test_registration_stores_the_tidied_name(room):
    user = user_register(phone="081234567890", full_name="  Budi\t Santoso ", room=room)
    assert user.full_name == "Budi Santoso"


def test_a_device_label_is_cleaned_or_refused(make_user):
    user = make_user()
    device = Device.objects.create(user=user, mac="AC:DE:48:00:00:01")
    with pytest.raises(ValidationError):
        device_rename(device=device, label="HP\u202eidnA", actor=user)
    device.refresh_from_db()
    assert device.label == ""
    assert device_rename(device=device, label=" HP   Andi ", actor=user).label == "HP Andi"


def test_a_profile_update_refuses_a_hostile_name(make_user, staff):
    user = make_user(full_name="Budi Santoso")
    with pytest.raises(ValidationError):
        user_profile_update(user=user, actor=staff, changes={"full_name": "\u200b\u200b"})
    user.refresh_from_db()
    assert user.full_name == "Budi Santoso"
