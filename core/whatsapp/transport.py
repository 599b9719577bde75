"""One message to one number, now, through the backend named by WHATSAPP_BACKEND."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from core.whatsapp.base import SendResult

log = logging.getLogger("core.whatsapp")

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
