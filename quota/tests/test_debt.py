"""Debt in the ledger: grant on credit, auto debt, purchases paying debt first, settling and forgiving."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry, User
from core.units import GIB, MIB
from quota.debt import (
    debt_forgive,
    debt_grant,
    debt_pay_from_credit,
    debt_settle_cash,
    debt_summary,
    purchase_split,
)
from quota.models import DebtItem, QuotaBalance, QuotaEntry
from quota.services import balances_rebuild, quota_consume, quota_grant, quota_set_unlimited

pytestmark = pytest.mark.django_db

MAKASSAR_MIDMONTH = "2026-03-15 10:00 +08:00"


def owe(user, *, gb=2, price=20000, note="Paket 2 GB"):
    return debt_grant(user=user, amount_bytes=gb * GIB, price_rp=price, actor=None, note=note)


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_grant_on_credit_credits_quota_and_opens_an_item_due_at_month_end(make_user):
    user = make_user()
    item = owe(user)
    assert item.due_date.isoformat() == "2026-03-31"
    assert item.entry.kind == QuotaEntry.Kind.DEBT and item.entry.amount_bytes == 2 * GIB
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 2 * GIB
    summary = debt_summary(user)
    assert summary.items_rp == 20000 and summary.auto_bytes == 0
    assert AuditEntry.objects.filter(action="debt.grant", target_user=user).exists()
    assert balances_rebuild(fix=False) == []  # the ledger holds it all


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
@pytest.mark.parametrize(
    "kwargs, code",
    [({"amount_bytes": 0}, "amount"), ({"amount_bytes": -GIB}, "amount"), ({"price_rp": 0}, "price")],
)
def test_zero_or_negative_debt_is_refused_and_changes_nothing(make_user, kwargs, code):
    user = make_user()
    args = {"user": user, "amount_bytes": GIB, "price_rp": 10000, "actor": None, "note": "x"} | kwargs
    with pytest.raises(ValidationError) as err:
        debt_grant(**args)
    assert err.value.code == code
    assert not DebtItem.objects.exists() and not QuotaEntry.objects.filter(user=user).exists()


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_komandan_and_unlimited_residents_never_carry_debt(make_user):
    komandan = make_user(role=User.Role.KOMANDAN)
    with pytest.raises(ValidationError):
        owe(komandan)
    unlimited = make_user(unlimited=True)
    with pytest.raises(ValidationError):
        owe(unlimited)
    assert not DebtItem.objects.exists()


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_staff_cannot_set_unlimited_while_debt_is_open(make_user, staff):
    user = make_user()
    owe(user)
    with pytest.raises(ValidationError):
        quota_set_unlimited(user=user, unlimited=True, actor=staff, days=7)
    assert not QuotaBalance.objects.get(user=user).is_unlimited


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_a_purchase_pays_auto_debt_then_the_oldest_items_then_the_balance(make_user):
    user = make_user(quota_bytes=1 * GIB)
    first, second = owe(user, gb=2, price=20000), owe(user, gb=2, price=20000)
    quota_consume(user=user, amount_bytes=5 * GIB + 300 * MIB, idempotency_key="u1")  # 300 MB auto debt
    assert debt_summary(user).auto_bytes == 300 * MIB
    bought = 5 * GIB
    assert purchase_split(user=user, amount_bytes=bought) == {
        "to_auto": 300 * MIB,
        "to_items": 4 * GIB,
        "rest": bought - 300 * MIB - 4 * GIB,
    }
    quota_grant(user=user, amount_bytes=bought, days=30, kind=QuotaEntry.Kind.PURCHASE, idempotency_key="o1")
    assert debt_pay_from_credit(user=user, credited_bytes=bought, key="order:o1", reference="o1") == 4 * GIB
    assert QuotaBalance.objects.get(user=user).remaining_bytes == bought - 300 * MIB - 4 * GIB
    first.refresh_from_db(), second.refresh_from_db()
    assert first.closed_how == second.closed_how == DebtItem.Closed.PURCHASE
    assert not debt_summary(user).has_debt
    assert balances_rebuild(fix=False) == []


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_a_small_purchase_pays_the_oldest_item_in_part_and_its_price_follows(make_user):
    user = make_user()
    item = owe(user, gb=2, price=20000)
    quota_grant(user=user, amount_bytes=GIB, days=30, kind=QuotaEntry.Kind.PURCHASE, idempotency_key="o2")
    debt_pay_from_credit(user=user, credited_bytes=GIB, key="order:o2", reference="o2")
    debt_pay_from_credit(user=user, credited_bytes=GIB, key="order:o2", reference="o2")  # a repeat: nothing
    summary = debt_summary(user)
    assert [(o.item.pk, o.open_bytes, o.open_rp) for o in summary.items] == [(item.pk, GIB, 10000)]
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 2 * GIB


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_cash_settlement_of_one_item_with_its_invoice_and_refusals(make_user, staff):
    user = make_user()
    item = owe(user, price=20000)
    with pytest.raises(ValidationError):  # more than is owed
        debt_settle_cash(user=user, actor=staff, item_id=item.pk, amount_rp=25000)
    assert debt_summary(user).items_rp == 20000
    invoice = debt_settle_cash(user=user, actor=staff, item_id=item.pk, amount_rp=20000)
    assert invoice.number == "INV/UTAMA/2026/000001" and invoice.amount_rp == 20000
    item.refresh_from_db()
    assert item.closed_how == DebtItem.Closed.CASH and item.closed_by == staff
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 2 * GIB  # the bytes stay
    with pytest.raises(ValidationError):  # settled already
        debt_settle_cash(user=user, actor=staff, item_id=item.pk, amount_rp=20000)
    assert AuditEntry.objects.filter(action="debt.settle_cash", actor=staff).count() == 1


@time_machine.travel(MAKASSAR_MIDMONTH, tick=False)
def test_forgiving_needs_a_reason_and_clears_items_and_auto_debt(make_user, staff):
    user = make_user()
    owe(user)
    quota_consume(user=user, amount_bytes=3 * GIB, idempotency_key="u2")
    with pytest.raises(ValidationError):
        debt_forgive(user=user, actor=staff, reason="  ")
    assert debt_summary(user).has_debt
    assert debt_forgive(user=user, actor=staff, reason="Bebas") == 20000
    assert not debt_summary(user).has_debt
    assert QuotaBalance.objects.get(user=user).remaining_bytes == 0
    assert AuditEntry.objects.get(action="debt.forgive").reason == "Bebas"
    assert balances_rebuild(fix=False) == []
