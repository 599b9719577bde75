"""Status transitions and quota notices, decided after each usage or guard cycle.

- A change of status (against `StatusSeen`, the status the cycles last acted on) converges the router
  after commit; a change between ok, fup and habis also sends one WhatsApp message. `StatusSeen` is
  written in the same transaction as the usage, so a restart neither repeats nor loses a transition.
- Low-quota warnings at LOW_QUOTA_WARNING_MB thresholds, once per threshold per purchase (keyed by the
  purchased total, which every credit changes); expiry warnings EXPIRY_WARNING_DAYS before expiry, once
  per day count per expiry date. When several thresholds are crossed at once only the nearest one is
  sent. Every notice sent is a `QuotaNotice` row (unique per user and key).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from accounts.signals import announce_access_changed
from core.units import MIB
from core.whatsapp import send_after_commit, texts
from quota.models import QuotaNotice, StatusSeen
from quota.selectors import access_status_of
from quota.status import AccessStatus

ANNOUNCED = {AccessStatus.OK, AccessStatus.FUP, AccessStatus.HABIS}
MESSAGES = {
    AccessStatus.FUP: lambda remaining: texts.status_fup(remaining_bytes=remaining),
    AccessStatus.HABIS: lambda remaining: texts.status_habis(),
    AccessStatus.OK: lambda remaining: texts.status_ok(remaining_bytes=remaining),
}


def transition_message(*, old: str, new: str, remaining_bytes: int) -> str | None:
    """The WhatsApp text for a status change, or None when this change is not announced here."""
    if old == new or old not in ANNOUNCED or new not in ANNOUNCED:
        return None
    return MESSAGES[AccessStatus(new)](max(remaining_bytes, 0))


def warnings_due(
    *,
    status: AccessStatus,
    is_unlimited: bool,
    purchased_bytes: int,
    remaining_bytes: int,
    expires_at: datetime | None,
    now: datetime,
    low_thresholds_mb: list[int],
    expiry_days: list[int],
) -> list[tuple[list[str], str]]:
    """Warnings whose moment has come, each as (keys it consumes, text). Pure; the caller drops those whose
    first key was already sent. The first key is the nearest threshold, the others are the ones passed."""
    due = []
    if status in (AccessStatus.OK, AccessStatus.FUP) and not is_unlimited and remaining_bytes > 0:
        crossed = sorted(t for t in low_thresholds_mb if purchased_bytes > t * MIB >= remaining_bytes)
        if crossed:
            keys = [f"low:{t}:{purchased_bytes}" for t in crossed]
            text = texts.quota_low(remaining_bytes=remaining_bytes)
            due.append((keys, text))
    if status in (AccessStatus.OK, AccessStatus.FUP, AccessStatus.HABIS) and expires_at and expires_at > now:
        left = expires_at - now
        crossed = sorted(d for d in expiry_days if left.total_seconds() <= d * 86400)
        if crossed:
            stamp = expires_at.strftime("%Y%m%dT%H%M%S")
            keys = [f"expiry:{d}:{stamp}" for d in crossed]
            days = crossed[0]
            text = texts.expiry_near(days=days, expires_at=expires_at)
            due.append((keys, text))
    return due


def statuses_follow(*, balances, now, report) -> dict[int, AccessStatus]:
    """Each balance's current status; transitions and due notices are recorded and acted on."""
    statuses = {b.user_id: access_status_of(b.user, b, now) for b in balances}
    by_user = {b.user_id: b for b in balances}
    seen = dict(StatusSeen.objects.filter(user_id__in=list(statuses)).values_list("user_id", "status"))
    updates, planned = [], []  # planned: (user_id, keys, text)
    for user_id, status in statuses.items():
        old = seen.get(user_id)
        balance = by_user[user_id]
        if old != status:
            updates.append(StatusSeen(user_id=user_id, status=status, changed_at=now))
            if old is not None:
                report.transitions.append((user_id, old, str(status)))
                text = transition_message(old=old, new=status, remaining_bytes=balance.remaining_bytes)
                if text:
                    planned.append((user_id, [f"status:{old}>{status}:{now.isoformat()}"], text))
        if not balance.user.is_resident:
            continue
        for keys, text in warnings_due(
            status=status,
            is_unlimited=balance.is_unlimited,
            purchased_bytes=balance.purchased_bytes,
            remaining_bytes=balance.remaining_bytes,
            expires_at=balance.expires_at,
            now=now,
            low_thresholds_mb=settings.LOW_QUOTA_WARNING_MB,
            expiry_days=settings.EXPIRY_WARNING_DAYS,
        ):
            planned.append((user_id, keys, text))
    if updates:
        StatusSeen.objects.bulk_create(
            updates, update_conflicts=True, unique_fields=["user"], update_fields=["status", "changed_at"]
        )
    if planned:
        sent = set(
            QuotaNotice.objects.filter(
                user_id__in={p[0] for p in planned}, key__in={k for p in planned for k in p[1]}
            ).values_list("user_id", "key")
        )
        notices = []
        for user_id, keys, text in planned:
            if (user_id, keys[0]) in sent:
                continue
            fresh = [key for key in keys if (user_id, key) not in sent]
            notices += [QuotaNotice(user_id=user_id, key=key, text=text, sent_at=now) for key in fresh]
            sent.update((user_id, key) for key in fresh)
            send_after_commit(phone=by_user[user_id].user.phone, text=text)
            report.notices += 1
        QuotaNotice.objects.bulk_create(notices, ignore_conflicts=True)
    for user_id, _old, _new in report.transitions:
        announce_access_changed(user_id)
    return statuses
