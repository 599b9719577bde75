"""The ledger and the balance: integer bytes, applied once, nothing lost under concurrency."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from accounts.models import AuditEntry
from core.units import GIB, MIB
from quota.models import QuotaBalance, QuotaEntry
from quota.services import ledger_totals, quota_consume, quota_grant, quota_set_unlimited


def _ledger_equals_balance(user) -> bool:
    balance = QuotaBalance.objects.get(user=user)
    return ledger_totals([user.pk])[user.pk] == (balance.purchased_bytes, balance.used_bytes)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_consumes_lose_nothing(make_user):
    user = make_user(quota_bytes=10 * GIB)
    barrier = threading.Barrier(20)
    errors = []

    def consume(n):
        try:
            barrier.wait(timeout=10)
            quota_consume(user=user, amount_bytes=(n + 1) * MIB, idempotency_key=f"t:{n}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=consume, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    balance = QuotaBalance.objects.get(user=user)
    assert balance.used_bytes == sum(range(1, 21)) * MIB
    assert QuotaEntry.objects.filter(user=user, kind="usage").count() == 20
    assert _ledger_equals_balance(user)


@pytest.mark.django_db
def test_the_same_idempotency_key_twice_changes_the_balance_once(make_user):
    user = make_user()
    first = quota_grant(user=user, amount_bytes=5 * GIB, days=30, idempotency_key="order:LPS-1")
    again = quota_grant(user=user, amount_bytes=5 * GIB, days=30, idempotency_key="order:LPS-1")
    assert again.pk == first.pk
    assert QuotaBalance.objects.get(user=user).purchased_bytes == 5 * GIB
    quota_consume(user=user, amount_bytes=MIB, idempotency_key="sample:1")
    quota_consume(user=user, amount_bytes=MIB, idempotency_key="sample:1")
    assert QuotaBalance.objects.get(user=user).used_bytes == MIB
    assert _ledger_equals_balance(user)


@pytest.mark.django_db
def test_a_shorter_grant_never_shortens_the_expiry(make_user):
    # The rule in full, with a frozen clock: quota/tests/test_expiry_rule.py.
    user = make_user(quota_bytes=GIB, days=30)
    before = QuotaBalance.objects.get(user=user).expires_at
    quota_grant(user=user, amount_bytes=GIB, days=7, idempotency_key="second")
    assert QuotaBalance.objects.get(user=user).expires_at == before
    assert QuotaBalance.objects.get(user=user).purchased_bytes == 2 * GIB


@pytest.mark.django_db
def test_every_grant_writes_its_audit_row_with_before_and_after(make_user, staff):
    user = make_user()
    quota_grant(user=user, amount_bytes=GIB, days=3, idempotency_key="k", actor=staff, reason="bonus")
    entry = AuditEntry.objects.get(action="quota.grant", target_user=user)
    assert entry.actor == staff
    assert entry.before["purchased_bytes"] == 0
    assert entry.after["purchased_bytes"] == GIB


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [-1, 0, 1.5, "1024", True])
def test_a_grant_that_is_not_a_positive_integer_is_refused_and_writes_nothing(make_user, amount):
    user = make_user()
    with pytest.raises(ValidationError) as excinfo:
        quota_grant(user=user, amount_bytes=amount, days=30, idempotency_key="bad")
    assert "kuota" in excinfo.value.messages[0].lower()
    assert not QuotaEntry.objects.filter(user=user).exists()
    assert not AuditEntry.objects.filter(target_user=user, action__startswith="quota.").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -3, 100000])
def test_a_grant_with_impossible_validity_is_refused(make_user, days):
    user = make_user()
    with pytest.raises(ValidationError):
        quota_grant(user=user, amount_bytes=GIB, days=days, idempotency_key="bad-days")
    assert not QuotaEntry.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_unlimited_is_audited_and_sets_expiry(make_user, staff):
    user = make_user()
    balance = quota_set_unlimited(user=user, unlimited=True, actor=staff, days=10)
    assert balance.is_unlimited
    assert AuditEntry.objects.filter(action="quota.set_unlimited", target_user=user, actor=staff).exists()


@pytest.mark.django_db
def test_the_rebuild_command_finds_a_planted_difference_and_fixes_it(make_user, capsys):
    user = make_user(quota_bytes=2 * GIB)
    quota_consume(user=user, amount_bytes=100 * MIB, idempotency_key="u1")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE quota_quotabalance SET used_bytes = 1 WHERE user_id = %s", [user.pk])
    with pytest.raises(SystemExit):
        call_command("quota_rebuild")
    out = capsys.readouterr().out
    assert f"user {user.pk}:" in out and "1 difference(s)" in out
    call_command("quota_rebuild", "--fix")
    assert QuotaBalance.objects.get(user=user).used_bytes == 100 * MIB
    call_command("quota_rebuild")
    assert "0 difference(s)" in capsys.readouterr().out
