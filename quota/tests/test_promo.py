"""Registration bonuses: granted on approval through the ledger, once, within their dates; bad input."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.units import GIB
from quota.models import Promo, QuotaBalance, QuotaEntry
from quota.residents import resident_approve

T0 = datetime(2026, 4, 10, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.fixture
def promo(db):
    return Promo.objects.create(
        name="Lebaran",
        bonus_bytes=2 * GIB,
        bonus_days=7,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 15),
    )


@time_machine.travel(T0, tick=False)
def test_an_approval_inside_the_dates_gets_the_bonus_once(promo, make_user, staff):
    pending = make_user(approved=False)
    assert resident_approve(user=pending, actor=staff)
    assert not resident_approve(user=pending, actor=staff)
    entries = QuotaEntry.objects.filter(user=pending, idempotency_key=f"promo:{promo.pk}:{pending.pk}")
    assert [e.amount_bytes for e in entries] == [2 * GIB]
    assert QuotaBalance.objects.get(user=pending).remaining_bytes == 2 * GIB


def test_an_approval_outside_the_dates_gets_nothing(promo, make_user, staff):
    pending = make_user(approved=False)
    with time_machine.travel(datetime(2026, 4, 16, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")), tick=False):
        resident_approve(user=pending, actor=staff)
    assert not QuotaEntry.objects.filter(user=pending).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"bonus_bytes": -GIB}, "bonus_bytes"),
        ({"bonus_bytes": 0}, "bonus_bytes"),
        ({"starts_on": date(2026, 5, 1), "ends_on": date(2026, 4, 1)}, "ends_on"),
    ],
)
def test_a_promo_with_negative_gb_or_reversed_dates_is_refused(db, fields, field):
    values = {
        "name": "X",
        "bonus_bytes": GIB,
        "bonus_days": 7,
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2026, 4, 2),
    }
    promo = Promo(**{**values, **fields})
    with pytest.raises(ValidationError) as refused:
        promo.full_clean()
    assert field in refused.value.message_dict
