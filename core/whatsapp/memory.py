import threading

from core.whatsapp.base import SendResult, WhatsAppBackend

outbox: list[dict] = []
# Phones whose messages fail (tests of "no block when the warning could not be sent"); cleared by clear().
failing: set[str] = set()
_lock = threading.Lock()


class MemoryBackend(WhatsAppBackend):
    """The test backend: keeps messages in `outbox` (module level, shared by every instance)."""

    def send(self, *, phone: str, text: str) -> SendResult:
        with _lock:
            if phone in failing:
                return SendResult(ok=False, detail="failing on purpose")
            outbox.append({"phone": phone, "text": text})
        return SendResult(ok=True, detail="stored")


def messages_to(phone: str) -> list[str]:
    with _lock:
        return [m["text"] for m in outbox if m["phone"] == phone]


def clear() -> None:
    with _lock:
        outbox.clear()
        failing.clear()
