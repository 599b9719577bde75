"""The operator's grant command: a reused --key never claims to have granted twice."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.units import GIB


@pytest.mark.django_db
def test_a_reused_key_says_nothing_was_added_and_grants_once(make_user, capsys):
    user = make_user()
    args = ("quota_grant", "--phone", user.phone, "--gb", "2", "--days", "10", "--key", "op-1")
    call_command(*args)
    assert capsys.readouterr().out.startswith("granted 2,00 GB")
    call_command(*args)
    out = capsys.readouterr().out
    assert "already granted" in out and "nothing added" in out
    user.balance.refresh_from_db()
    assert user.balance.purchased_bytes == 2 * GIB
    assert user.quota_entries.count() == 1


@pytest.mark.django_db
def test_a_key_used_for_another_resident_is_refused(make_user):
    first, second = make_user(), make_user()
    call_command("quota_grant", "--phone", first.phone, "--gb", "2", "--days", "10", "--key", "op-2")
    with pytest.raises(CommandError, match="already used"):
        call_command("quota_grant", "--phone", second.phone, "--gb", "2", "--days", "10", "--key", "op-2")
    assert not second.quota_entries.exists()
