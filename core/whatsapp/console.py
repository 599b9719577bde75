import sys

from core.whatsapp.base import SendResult, WhatsAppBackend


class ConsoleBackend(WhatsAppBackend):
    """The demo backend: prints each message, so codes can be read from the terminal."""

    def send(self, *, phone: str, text: str) -> SendResult:
        sys.stdout.write(f"\n=== WhatsApp to {phone} ===\n{text}\n===\n")
        sys.stdout.flush()
        return SendResult(ok=True, detail="printed")
