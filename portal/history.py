"""The resident's history: purchases, grants and staff corrections as they happened, and usage as one row
per day (the ledger's usage entries summed over the institution's local day), newest first, back to
RESIDENT_HISTORY_DAYS."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit_labels import reason_label
from quota.models import DailyUsage, QuotaEntry


@dataclass(frozen=True)
class HistoryRow:
    when: datetime  # sort key; a day of usage sorts at the end of that day (or now, for today)
    day: date | None  # set for a day of usage
    label: str
    amount_bytes: int
    note: str = ""


def history_rows(user, *, now=None, days=None) -> list[HistoryRow]:
    now = now or timezone.now()
    days = settings.RESIDENT_HISTORY_DAYS if days is None else days
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now)
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), time.min), zone)
    rows = []
    entries = (
        QuotaEntry.objects.filter(user=user, created_at__gte=since)
        .exclude(kind=QuotaEntry.Kind.USAGE)
        .exclude(amount_bytes=0)  # notes (an imported debt item's entry): nothing changed the balance
        .only("kind", "amount_bytes", "reason", "created_at")
    )
    for entry in entries:
        rows.append(
            HistoryRow(
                when=entry.created_at,
                day=None,
                label=_entry_label(entry),
                amount_bytes=entry.amount_bytes,
                note=reason_label(entry.reason),
            )
        )
    usage = (
        QuotaEntry.objects.filter(user=user, kind=QuotaEntry.Kind.USAGE, created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(total=Sum("amount_bytes"))
    )
    for item in usage:
        if item["total"]:
            rows.append(_day_row(item["day"], item["total"], now=now, today=today, zone=zone))
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows


def _day_row(day: date, total: int, *, now, today, zone) -> HistoryRow:
    end = now if day == today else timezone.make_aware(datetime.combine(day, time.max), zone)
    return HistoryRow(when=end, day=day, label=_("Usage"), amount_bytes=total)


def _entry_label(entry: QuotaEntry) -> str:
    if entry.kind == QuotaEntry.Kind.ADJUST:
        return _("Correction (added)") if entry.amount_bytes >= 0 else _("Correction (taken back)")
    return str(entry.get_kind_display())


def daily_usage_points(user, *, now=None, days: int = 30) -> list[tuple[date, int]]:
    """Bytes used per local day over the last `days` days, oldest first, days without usage as 0 (unlimited
    access included: DailyUsage records every metered byte)."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=days - 1)
    used = dict(
        DailyUsage.objects.filter(user=user, date__gte=first, date__lte=today).values_list("date", "bytes")
    )
    return [(first + timedelta(days=i), used.get(first + timedelta(days=i), 0)) for i in range(days)]


def quota_meter(user, *, remaining_bytes: int) -> dict:
    """The remaining quota against what there was to spend after the last purchase or grant (what was
    bought plus anything carried over): remaining + usage since then. Percent is 0..100."""
    last_credit = (
        QuotaEntry.objects.filter(user=user, amount_bytes__gt=0)
        .exclude(kind=QuotaEntry.Kind.USAGE)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if last_credit is None:
        return {"total_bytes": 0, "percent": 0}
    used_since = -(
        QuotaEntry.objects.filter(
            user=user, kind=QuotaEntry.Kind.USAGE, created_at__gte=last_credit
        ).aggregate(total=Sum("amount_bytes"))["total"]
        or 0
    )
    total = max(remaining_bytes + used_since, remaining_bytes, 0)
    percent = round(100 * remaining_bytes / total) if total else 0
    return {"total_bytes": total, "percent": max(0, min(100, percent))}
