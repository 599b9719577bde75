"""Folding old usage detail into one ledger entry per resident and day.

The usage cycle writes one `usage` entry per resident with traffic per cycle: about one a minute while they
browse, over a million rows a day at 2,000 residents. Once a day is older than USAGE_DETAIL_DAYS, its
detail has done its work: a counter delta's idempotency key only guards readings the router could still
send again (the last ones), and the resident's history, the charts and the balance read days or sums.
Each such day becomes one `usage` entry per resident, keyed `usage-day:<user>:<date>`, holding that day's
total and the time of its last minute. Every sum the ledger answers stays the same to the byte, so the
cached balances and `quota_rebuild` agree before and after.

Days are local days of the server's time zone (TIME_ZONE), as the history page groups them. One day is one
transaction: its detail rows are deleted and its day entries written together, so a reader sees the day
either in detail or folded, never both nor neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from accounts.audit_labels import USAGE_DAY_REASON
from quota.models import QuotaEntry

DAY_KEY_PREFIX = "usage-day:"


@dataclass
class CompactReport:
    days: int = 0
    folded: int = 0  # detail entries removed
    written: int = 0  # day entries written

    def summary(self) -> str:
        return f"{self.days} day(s) folded: {self.folded} usage entries into {self.written}"


def _detail():
    return QuotaEntry.objects.filter(kind=QuotaEntry.Kind.USAGE).exclude(
        idempotency_key__startswith=DAY_KEY_PREFIX
    )


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def usage_compact(*, now: datetime | None = None, max_days: int = 14) -> CompactReport:
    """Fold the usage detail of every local day before the last USAGE_DETAIL_DAYS, oldest first, at most
    `max_days` days a run (a first run on an old database catches up over a few nights)."""
    now = now or timezone.now()
    cutoff = _day_start(timezone.localdate(now) - timedelta(days=settings.USAGE_DETAIL_DAYS))
    report = CompactReport()
    while report.days < max_days:
        oldest = (
            _detail()
            .filter(created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if oldest is None:
            break
        day = timezone.localdate(oldest)
        folded, written = _day_fold(day, end=min(_day_start(day + timedelta(days=1)), cutoff))
        report.days += 1
        report.folded += folded
        report.written += written
    return report


@transaction.atomic
def _day_fold(day, *, end: datetime) -> tuple[int, int]:
    start = _day_start(day)
    detail = _detail().filter(created_at__gte=start, created_at__lt=end)
    totals = (
        detail.values("user_id")
        .annotate(total=Sum("amount_bytes"), last=Max("created_at"), n=Count("id"))
        .order_by("user_id")
    )
    entries = [
        QuotaEntry(
            user_id=row["user_id"],
            kind=QuotaEntry.Kind.USAGE,
            amount_bytes=row["total"],
            idempotency_key=f"{DAY_KEY_PREFIX}{row['user_id']}:{day.isoformat()}",
            reason=USAGE_DAY_REASON,
            created_at=row["last"],
        )
        for row in totals
    ]
    folded = sum(row["n"] for row in totals)
    # Plain SQL: the ORM's delete would first load every row to look for related debt items, which usage
    # entries never have.
    table, ops = QuotaEntry._meta.db_table, connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE kind = %s AND created_at >= %s AND created_at < %s "
            "AND idempotency_key NOT LIKE %s",
            [
                QuotaEntry.Kind.USAGE,
                ops.adapt_datetimefield_value(start),
                ops.adapt_datetimefield_value(end),
                DAY_KEY_PREFIX + "%",
            ],
        )
    QuotaEntry.objects.bulk_create(entries, batch_size=1000)
    return folded, len(entries)
