from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    ok: bool
    detail: str = ""
    provider_id: str = ""


class WhatsAppBackend:
    """Sends one text message to an E.164 number. Never raises for a delivery failure: it reports it."""

    def send(self, *, phone: str, text: str) -> SendResult:
        raise NotImplementedError
