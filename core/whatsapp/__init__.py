"""WhatsApp messages to residents and staff, through the backend named by WHATSAPP_BACKEND."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from core.whatsapp.base import SendResult

log = logging.getLogger(__name__)

BACKENDS = {
    "console": "core.whatsapp.console.ConsoleBackend",
    "memory": "core.whatsapp.memory.MemoryBackend",
    "fonnte": "core.whatsapp.fonnte.FonnteBackend",
}


def get_backend():
    name = settings.WHATSAPP_BACKEND
    return import_string(BACKENDS.get(name, name))()


def send_message(*, phone: str, text: str) -> SendResult:
    result = get_backend().send(phone=phone, text=text)
    if not result.ok:
        log.warning("whatsapp to %s failed: %s", phone[-4:], result.detail)
    return result


def send_after_commit(*, phone: str, text: str) -> None:
    """After commit, through the task queue: a message never leaves from a transaction that may still
    roll back, and a slow WhatsApp gateway never holds up a web request or a cycle."""
    transaction.on_commit(lambda: async_task("core.whatsapp.send_message", phone=phone, text=text))
