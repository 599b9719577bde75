"""Old usage detail folded into one entry per resident and day: every sum the ledger answers, the cached
balances and the resident's history stay the same; recent detail stays; a second run changes nothing."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncDate

from core.units import GIB, MIB
from quota.metering.compact import usage_compact
from quota.models import QuotaBalance, QuotaEntry
from quota.services import balances_rebuild, quota_consume

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Makassar")  # the test settings' TIME_ZONE
NOW = datetime(2026, 5, 31, 23, 50, tzinfo=ZONE)  # the last day of a month, late


def minutes(user, day, count, *, start_hour=0, amount=MIB):
    """`count` usage entries a minute apart from `start_hour` on local `day`, as the usage cycle writes."""
    moment = datetime(day.year, day.month, day.day, start_hour, tzinfo=ZONE)
    for i in range(count):
        at = moment + timedelta(minutes=i)
        with time_machine.travel(at, tick=False):
            quota_consume(user=user, amount_bytes=amount + i, idempotency_key=f"u:{user.pk}:{at.isoformat()}")


def usage_of(user):
    return QuotaEntry.objects.filter(user=user, kind="usage")


def days_of(user):
    """Usage per local day, as the resident's history page groups it."""
    return dict(
        usage_of(user)
        .annotate(day=TruncDate("created_at", tzinfo=ZONE))
        .values_list("day")
        .annotate(total=Sum("amount_bytes"))
        .order_by()
    )


def test_old_days_fold_into_one_entry_each_and_every_sum_stays(make_user, settings):
    settings.USAGE_DETAIL_DAYS = 35
    alice, budi = make_user(quota_bytes=10 * GIB), make_user(quota_bytes=10 * GIB)
    old, older, recent = (
        NOW.date() - timedelta(days=40),
        NOW.date() - timedelta(days=41),
        NOW.date() - timedelta(days=3),
    )
    minutes(alice, older, 5, start_hour=23)  # up to 23:04 local: the edge of a local day, 15:04 UTC
    minutes(alice, old, 30)
    minutes(alice, recent, 10)
    minutes(budi, old, 7, start_hour=12)
    days_before = days_of(alice)
    sums_before = {u.pk: usage_of(u).aggregate(s=Sum("amount_bytes"))["s"] for u in (alice, budi)}

    with time_machine.travel(NOW, tick=False):
        report = usage_compact()

    assert (report.days, report.folded, report.written) == (2, 42, 3)
    assert {u.pk: usage_of(u).aggregate(s=Sum("amount_bytes"))["s"] for u in (alice, budi)} == sums_before
    assert balances_rebuild(fix=False) == []
    day_entry = usage_of(alice).get(idempotency_key=f"usage-day:{alice.pk}:{old.isoformat()}")
    assert day_entry.amount_bytes == -(30 * MIB + sum(range(30)))
    assert day_entry.created_at == datetime(
        old.year, old.month, old.day, 0, 29, tzinfo=ZONE
    )  # its last minute
    assert usage_of(alice).filter(created_at__date__gte=recent).count() == 10  # recent detail stays
    assert days_of(alice) == days_before and len(days_before) == 3
    with time_machine.travel(NOW, tick=False):
        again = usage_compact()
    assert (again.days, again.folded, again.written) == (0, 0, 0)
    assert QuotaBalance.objects.get(user=alice).used_bytes == -sums_before[alice.pk]


def test_the_command_folds_and_says_what_it_did(make_user, settings):
    settings.USAGE_DETAIL_DAYS = 2
    alice = make_user(quota_bytes=GIB)
    minutes(alice, NOW.date() - timedelta(days=5), 3)
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("usage_compact", stdout=out)
    assert out.getvalue().strip() == "1 day(s) folded: 3 usage entries into 1"
    assert usage_of(alice).count() == 1
