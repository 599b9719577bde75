"""The WhatsApp outbox: a message is a row before it is a task, so no outage loses it.

`message_queue` writes the row in the caller's transaction (it exists exactly when the change that caused
it committed) and, after commit, asks the task queue to deliver it at once. If the queue cannot be reached
(Redis down with the Redis broker) the row simply waits for `outbox_drain`, which the worker runs every
minute. Delivery locks the row (SKIP LOCKED), so two workers never send the same message; a failed send is
retried with a growing delay (30 s, 1, 2, 4 … up to 15 minutes) for WHATSAPP_GIVE_UP_AFTER_S, then marked
failed. The gateway has no idempotency key: a worker killed between the gateway's answer and the commit
sends that one message again on the next try (at least once, never twice otherwise).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from core.models import WhatsAppMessage
from core.whatsapp.transport import send_message

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 30
BACKOFF_MAX_S = 900
DRAIN_BATCH = 200
KEEP_DAYS = 7


def backoff_seconds(attempts: int) -> int:
    """The wait after the n-th failed attempt (pure)."""
    return min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** max(0, attempts - 1))


def _enqueue(message_id: int) -> None:
    try:
        async_task("core.whatsapp.outbox.message_deliver", message_id, task_name=f"whatsapp-{message_id}")
    except Exception:  # the broker is down: the row waits for outbox_drain
        log.warning("task queue unreachable: WhatsApp message %s waits for the outbox drain", message_id)


def message_queue(*, phone: str, text: str, discard_after_s: int | None = None) -> WhatsAppMessage:
    now = timezone.now()
    message = WhatsAppMessage.objects.create(
        phone=phone,
        text=text,
        created_at=now,
        next_attempt_at=now,
        discard_after=now + timedelta(seconds=discard_after_s) if discard_after_s else None,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def message_requeue(message: WhatsAppMessage) -> None:
    """A failed message waits again, as if queued now (its WHATSAPP_GIVE_UP_AFTER_S starts again); the
    caller holds the row's lock and decides whether it may (accounts.outbox.whatsapp_message_retry)."""
    now = timezone.now()
    message.status = WhatsAppMessage.Status.PENDING
    message.created_at = now
    message.next_attempt_at = now
    message.save(update_fields=["status", "created_at", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(message.pk))


def message_deliver(message_id: int) -> bool:
    """Send one waiting message if it is due and nobody else is sending it; True when it went out."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            WhatsAppMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=WhatsAppMessage.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return False
        if message.discard_after is not None and now > message.discard_after:
            message.status = WhatsAppMessage.Status.EXPIRED
            message.text = ""
            message.save(update_fields=["status", "text"])
            return False
        result = send_message(phone=message.phone, text=message.text)
        message.attempts += 1
        message.last_attempt_at = now
        message.last_attempt_ok = result.ok
        if result.ok:
            message.status = WhatsAppMessage.Status.SENT
            message.sent_at = now
            message.last_error = ""
            if message.discard_after is not None:
                message.text = (
                    ""  # a login code: kept in clear only until it is out (codes are stored hashed)
                )
        else:
            message.last_error = (result.detail or "")[:200]
            message.next_attempt_at = now + timedelta(seconds=backoff_seconds(message.attempts))
            if now - message.created_at > timedelta(seconds=settings.WHATSAPP_GIVE_UP_AFTER_S):
                message.status = WhatsAppMessage.Status.FAILED
                log.error("WhatsApp message %s given up after %d attempts", message.pk, message.attempts)
        message.save()
    return result.ok


def outbox_drain() -> int:
    """Deliver every due message, oldest first, and forget finished ones after KEEP_DAYS; the number sent."""
    WhatsAppMessage.objects.exclude(status=WhatsAppMessage.Status.PENDING).filter(
        created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)
    ).delete()
    due = WhatsAppMessage.objects.filter(
        status=WhatsAppMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("id")
    return sum(message_deliver(pk) for pk in list(due.values_list("pk", flat=True)[:DRAIN_BATCH]))


def gateway_down() -> bool:
    """The last delivery attempt failed less than WHATSAPP_PROBE_AFTER_S ago. After that the next request
    goes through again and is the probe (a half-open circuit)."""
    last = (
        WhatsAppMessage.objects.filter(last_attempt_at__isnull=False)
        .order_by("-last_attempt_at")
        .values("last_attempt_ok", "last_attempt_at")
        .first()
    )
    if last is None or last["last_attempt_ok"]:
        return False
    return timezone.now() - last["last_attempt_at"] < timedelta(seconds=settings.WHATSAPP_PROBE_AFTER_S)
