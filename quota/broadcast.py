"""Broadcasts: one WhatsApp text to a block, a site, an access status or every active resident.

`broadcast_recipients` previews who gets it; `broadcast_create` freezes the list into BroadcastRecipient
rows (one per phone) and queues the first batch; `broadcast_send_batch` sends what the rate allows
(BROADCAST_PER_MINUTE overall, BROADCAST_PER_NUMBER_PER_MINUTE per number, counted over the last minute of
claims in every broadcast) and the `quota.broadcast_tick` schedule resumes every unfinished broadcast,
so a restart goes on where it stopped. A row is claimed (committed) before its send: never sent twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from accounts.audit import audit_record
from accounts.models import User
from accounts.selectors import site_members_q
from core.db_locks import advisory_xact_lock
from core.whatsapp import send_message
from quota.lifecycle import active_residents_q
from quota.models import Broadcast, BroadcastRecipient
from quota.selectors import access_status_of
from quota.status import AccessStatus

Audience = Broadcast.Audience
MAX_TEXT = 1000
CLAIM_LOCK = 0x1B5_B0A7  # pg advisory lock key of the broadcast claims


def broadcast_recipients(*, audience: str, value: str = "") -> list[User]:
    """Active, approved residents of the audience (ordered by id), with a real phone."""
    users = User.objects.filter(active_residents_q()).exclude(phone__startswith="x-")
    if audience == Audience.SITE:
        users = users.filter(site_members_q(int(value))).exclude(
            block__isnull=True, tamping_type__isnull=True
        )
    elif audience == Audience.BLOCK:
        users = users.filter(block_id=int(value))
    elif audience == Audience.STATUS:
        if value not in AccessStatus.__members__.values():
            raise ValidationError(_("Unknown access status."), code="status")
        users = [
            u
            for u in users.select_related("balance").order_by("pk")
            if access_status_of(u, getattr(u, "balance", None)) == value
        ]
        return users
    elif audience != Audience.ALL:
        raise ValidationError(_("Choose who receives the message."), code="audience")
    return list(users.order_by("pk"))


@transaction.atomic
def broadcast_create(*, text: str, audience: str, value: str = "", actor: User) -> Broadcast:
    """Freeze the recipients and queue the sending; refuses an empty text or nobody to send to."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The message is empty."), code="empty")
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("The message is longer than %(n)d characters.") % {"n": MAX_TEXT}, code="long"
        )
    try:
        users = broadcast_recipients(audience=audience, value=value)
    except (TypeError, ValueError):
        raise ValidationError(_("Choose who receives the message."), code="audience") from None
    if not users:
        raise ValidationError(_("Nobody would receive this message."), code="nobody")
    broadcast = Broadcast.objects.create(text=text, audience=audience, audience_value=value, created_by=actor)
    rows, seen = [], set()
    for user in users:
        if user.phone not in seen:
            seen.add(user.phone)
            rows.append(BroadcastRecipient(broadcast=broadcast, user=user, phone=user.phone))
    BroadcastRecipient.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=actor,
        action="broadcast.create",
        obj=broadcast,
        after={"audience": audience, "value": value, "recipients": len(rows)},
    )
    transaction.on_commit(_queue_tick)
    return broadcast


def _queue_tick():
    async_task("quota.broadcast.broadcast_tick", task_name="broadcast-tick")


def _claim(broadcast_id: int, now) -> BroadcastRecipient | None:
    """Claim the next unsent row the rate allows, committed before anything is sent."""
    minute_ago = now - timedelta(seconds=60)
    with transaction.atomic():
        # Claims one at a time, so two workers cannot both take the minute's last place.
        advisory_xact_lock(CLAIM_LOCK)
        recent = BroadcastRecipient.objects.filter(claimed_at__gt=minute_ago)
        if recent.count() >= settings.BROADCAST_PER_MINUTE:
            return None
        busy = (
            recent.values("phone")
            .annotate(n=Count("id"))
            .filter(n__gte=settings.BROADCAST_PER_NUMBER_PER_MINUTE)
            .values("phone")
        )
        row = (
            BroadcastRecipient.objects.select_for_update(skip_locked=True)
            .filter(broadcast_id=broadcast_id, claimed_at__isnull=True)
            .exclude(phone__in=busy)
            .order_by("pk")
            .first()
        )
        if row is None:
            return None
        row.claimed_at = now
        row.save(update_fields=["claimed_at"])
    return row


def broadcast_send_batch(*, broadcast: Broadcast, limit: int | None = None, now=None) -> int:
    """Send up to `limit` messages of `broadcast` that the rate allows now; returns how many were sent."""
    limit = settings.BROADCAST_PER_MINUTE if limit is None else limit
    sent = 0
    while sent < limit:
        row = _claim(broadcast.pk, now or timezone.now())
        if row is None:
            break
        result = send_message(phone=row.phone, text=broadcast.text)
        BroadcastRecipient.objects.filter(pk=row.pk).update(ok=result.ok, detail=result.detail[:200])
        sent += 1
    if not BroadcastRecipient.objects.filter(broadcast=broadcast, claimed_at__isnull=True).exists():
        Broadcast.objects.filter(pk=broadcast.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    return sent


def broadcast_tick() -> str:
    """The `quota.broadcast_tick` schedule: a bounded batch of every unfinished broadcast, oldest first."""
    sent = 0
    for broadcast in Broadcast.objects.filter(finished_at__isnull=True).order_by("pk"):
        sent += broadcast_send_batch(broadcast=broadcast)
    return f"sent {sent} broadcast message(s)"


def broadcast_report(broadcast: Broadcast) -> dict[str, int]:
    rows = BroadcastRecipient.objects.filter(broadcast=broadcast)
    return {
        "total": rows.count(),
        "delivered": rows.filter(ok=True).count(),
        "failed": rows.filter(ok=False).count(),
        "unknown": rows.filter(claimed_at__isnull=False, ok__isnull=True).count(),
        "waiting": rows.filter(claimed_at__isnull=True).count(),
    }
