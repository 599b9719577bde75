"""The debt cycle (schedule `quota.debt_cycle`, every minute): reminders, block warnings and debt blocks.

Per resident who owes something (open items or a negative balance) or is debt-blocked, in the site's time
zone:

- reminders 72, 24 and 3 hours (DEBT_REMINDER_HOURS) before the end of an item's due day, each once: a
  `QuotaNotice` row written in the same transaction as the message is queued, under the balance lock, so a
  cycle running every minute, twice at once or after a restart never repeats one (only the nearest of
  several crossed at once is sent);
- the warning at the limit's DEBT_LIMIT_WARNING_PERCENT, once a month;
- from 23:00 on the due day (the last day of the month) and from 08:00 the day after for overdue items: the
  block warning is sent FIRST, synchronously; only when it was delivered is its notice written, and the
  block follows from that notice (quota.debt_blocks). A failed send blocks nobody; the next minute tries
  again.
- the balance's debt block is rewritten (also lifting blocks whose debt was paid or forgiven).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.whatsapp import send_after_commit, send_message, texts
from quota.debt import debt_summaries, debt_summary
from quota.debt_blocks import (
    DebtBlock,
    block_notices,
    block_notices_of,
    debt_block_apply,
    debt_block_reason_of,
    debt_limit_bytes,
)
from quota.models import DebtItem, QuotaBalance, QuotaNotice
from quota.services import balance_lock
from sites.models import Site

MONTH_END_HOUR = 23
OVERDUE_HOUR = 8


@dataclass
class DebtCycleReport:
    residents: int = 0
    reminders: int = 0
    warnings: int = 0
    warnings_failed: int = 0
    blocked: int = 0

    def summary(self) -> str:
        return (
            f"{self.residents} resident(s) with debt: {self.reminders} reminder(s), {self.warnings} block "
            f"warning(s) ({self.warnings_failed} failed), {self.blocked} debt-blocked"
        )


def debt_candidates() -> list[User]:
    ids = set(DebtItem.objects.filter(closed_at__isnull=True).values_list("user_id", flat=True))
    ids |= set(
        QuotaBalance.objects.filter(purchased_bytes__lt=F("used_bytes")).values_list("user_id", flat=True)
    )
    ids |= set(QuotaBalance.objects.exclude(debt_block="").values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=ids, role=User.Role.USER).select_related("block", "tamping_type")
    return list(users.order_by("pk"))


def _zones() -> dict[int | None, zoneinfo.ZoneInfo]:
    zones = {site.pk: zoneinfo.ZoneInfo(site.time_zone) for site in Site.objects.all()}
    default = Site.objects.default()
    zones[None] = zoneinfo.ZoneInfo(default.time_zone)
    return zones


def _day_start(day, zone, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def _reminders(*, user, summary, sent, now, zone) -> list[tuple[list[str], str]]:
    due_dates = sorted({o.item.due_date for o in summary.items})
    planned = []
    for due in due_dates:
        left = _day_start(due + timedelta(days=1), zone) - now
        if left <= timedelta(0):
            continue
        crossed = sorted(h for h in settings.DEBT_REMINDER_HOURS if left <= timedelta(hours=h))
        keys = [f"debt:remind:{h}:{due.isoformat()}" for h in crossed]
        if not crossed or keys[0] in sent:
            continue
        amount = sum(o.open_rp for o in summary.items if o.item.due_date == due)
        planned.append((keys, texts.debt_reminder(amount=amount, due=due, hours=crossed[0])))
    return planned


def _block_warnings(*, summary, sent, now, zone) -> list[tuple[str, str]]:
    """(key, text) of the block warnings due now, for items no sent warning covers yet."""
    local = timezone.localtime(now, zone)
    due = []
    for due_date in sorted({o.item.due_date for o in summary.items}):
        items = [o for o in summary.items if o.item.due_date == due_date]
        covered = all(
            any(
                sent.get(f"{prefix}{due_date.isoformat()}") is not None
                and sent[f"{prefix}{due_date.isoformat()}"] >= o.item.created_at
                for prefix in ("debt:month_end:", "debt:overdue:")
            )
            for o in items
        )
        if covered:
            continue
        amount = sum(o.open_rp for o in items)
        if now >= _day_start(due_date + timedelta(days=1), zone, OVERDUE_HOUR):
            key, overdue = f"debt:overdue:{due_date.isoformat()}", True
        elif local.date() == due_date and local.hour >= MONTH_END_HOUR:
            key, overdue = f"debt:month_end:{due_date.isoformat()}", False
        else:
            continue
        if key in sent:  # an item granted after this warning: the overdue warning will cover it
            continue
        due.append((key, texts.debt_block_warning(amount=amount, due=due_date, overdue=overdue)))
    return due


def _limit_warning(*, user, summary, sent, now, zone) -> tuple[str, str] | None:
    limit = debt_limit_bytes()
    debt = summary.auto_bytes + summary.items_bytes
    if limit <= 0 or debt >= limit or debt * 100 < limit * settings.DEBT_LIMIT_WARNING_PERCENT:
        return None
    key = f"debt:limit_warning:{timezone.localtime(now, zone):%Y-%m}"
    if key in sent:
        return None
    return key, texts.debt_limit_warning(debt_bytes=debt, limit_bytes=limit)


def _block_follow(*, user: User, balance: QuotaBalance, summary) -> str:
    """Rewrite the debt block (under the caller's balance lock); tell the resident when the limit blocks."""
    before = balance.debt_block
    block = debt_block_apply(user_id=user.pk, balance=balance, summary=summary)
    if block == DebtBlock.LIMIT and before != DebtBlock.LIMIT:
        debt = summary.auto_bytes + summary.items_bytes
        send_after_commit(phone=user.phone, text=texts.debt_limit_blocked(debt_bytes=debt))
    return block


def debt_user_cycle(*, user: User, now: datetime, zone, report: DebtCycleReport) -> str:
    with transaction.atomic():
        balance = balance_lock(user.pk)
        summary = debt_summary(user, balance=balance)
        sent = block_notices(user.pk)
        notices = []
        for keys, text in _reminders(user=user, summary=summary, sent=sent, now=now, zone=zone):
            notices += [QuotaNotice(user=user, key=k, text=text, sent_at=now) for k in keys if k not in sent]
            send_after_commit(phone=user.phone, text=text)
            report.reminders += 1
        limit_warning = _limit_warning(user=user, summary=summary, sent=sent, now=now, zone=zone)
        if limit_warning:
            notices.append(QuotaNotice(user=user, key=limit_warning[0], text=limit_warning[1], sent_at=now))
            send_after_commit(phone=user.phone, text=limit_warning[1])
        QuotaNotice.objects.bulk_create(notices, ignore_conflicts=True)
        warnings = _block_warnings(summary=summary, sent=sent, now=now, zone=zone)
        if not warnings:  # the common case: one transaction
            block = _block_follow(user=user, balance=balance, summary=summary)
    if warnings:
        for key, text in warnings:
            # The warning first, outside any transaction; the notice (and so the block) only when delivered.
            result = send_message(phone=user.phone, text=text)
            if not result.ok:
                report.warnings_failed += 1
                continue
            QuotaNotice.objects.bulk_create(
                [QuotaNotice(user=user, key=key, text=text, sent_at=now)], ignore_conflicts=True
            )
            report.warnings += 1
        with transaction.atomic():
            balance = balance_lock(user.pk)
            block = _block_follow(user=user, balance=balance, summary=debt_summary(user, balance=balance))
    if block:
        report.blocked += 1
    return block


def _needs_work(*, user, balance, summary, sent, now, zone) -> bool:
    """Whether this minute has anything for the resident: a reminder, a warning, or a block to write.
    Read without locks; `debt_user_cycle` decides again under the balance lock."""
    derived = debt_block_reason_of(user_id=user.pk, summary=summary, notices=sent)
    return bool(
        derived != (balance.debt_block if balance else DebtBlock.NONE)
        or _reminders(user=user, summary=summary, sent=sent, now=now, zone=zone)
        or _limit_warning(user=user, summary=summary, sent=sent, now=now, zone=zone)
        or _block_warnings(summary=summary, sent=sent, now=now, zone=zone)
    )


def debt_cycle(*, now: datetime | None = None) -> DebtCycleReport:
    """Everyone's debt, notices and blocks read in a handful of queries; the locked per-resident cycle
    runs only for those with something to do this minute (most debtors, most minutes, have nothing)."""
    now = now or timezone.now()
    report = DebtCycleReport()
    zones = _zones()
    users = debt_candidates()
    ids = [user.pk for user in users]
    balances = {b.user_id: b for b in QuotaBalance.objects.filter(user_id__in=ids)}
    summaries = debt_summaries(ids, balances=balances)
    notices = block_notices_of(ids)
    for user in users:
        report.residents += 1
        zone = zones.get(user.site_id) or zones[None]
        balance = balances.get(user.pk)
        sent = notices.get(user.pk, {})
        if _needs_work(user=user, balance=balance, summary=summaries[user.pk], sent=sent, now=now, zone=zone):
            debt_user_cycle(user=user, now=now, zone=zone, report=report)
        elif balance is not None and balance.debt_block:
            report.blocked += 1
    return report


def debt_cycle_task() -> str:
    return debt_cycle().summary()


def debt_blocks_rebuild(*, fix: bool) -> list[dict]:
    """Compare every debt block with what the debt and the notices say (no message is sent); `fix`
    rewrites the differing ones. Used by `quota_rebuild`."""
    differences = []
    for user in debt_candidates():
        with transaction.atomic():
            balance = balance_lock(user.pk)
            summary = debt_summary(user, balance=balance)
            cached = balance.debt_block
            derived = debt_block_reason_of(user_id=user.pk, summary=summary)
            if derived != cached:
                differences.append({"user_id": user.pk, "cached": cached, "derived": derived})
                if fix:
                    debt_block_apply(user_id=user.pk, balance=balance, summary=summary)
    return differences
