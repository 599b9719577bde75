"""WhatsApp messages to residents and staff, through the backend named by WHATSAPP_BACKEND."""

from core.whatsapp.outbox import message_queue
from core.whatsapp.transport import BACKENDS, get_backend, send_message

__all__ = ["BACKENDS", "get_backend", "send_after_commit", "send_message"]


def send_after_commit(*, phone: str, text: str, discard_after_s: int | None = None) -> None:
    """Queued in the outbox with the caller's transaction and sent after commit: a message never leaves
    from a transaction that may still roll back, a slow gateway never holds up a request or a cycle, and a
    message survives a gateway or task-queue outage (core/whatsapp/outbox.py). `discard_after_s`: drop it
    rather than send it later than this (a login code)."""
    message_queue(phone=phone, text=text, discard_after_s=discard_after_s)
