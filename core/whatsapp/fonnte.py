import logging

import requests
from django.conf import settings

from core.phone import local_phone
from core.whatsapp.base import SendResult, WhatsAppBackend

log = logging.getLogger(__name__)


class FonnteBackend(WhatsAppBackend):
    """Fonnte's /send: form fields target and message, raw token in Authorization.

    Fonnte answers HTTP 200 on failure too, so the JSON `status` decides.
    """

    def send(self, *, phone: str, text: str) -> SendResult:
        try:
            response = requests.post(
                settings.FONNTE_URL,
                headers={"Authorization": settings.FONNTE_TOKEN},
                data={"target": local_phone(phone), "message": text, "countryCode": "62"},
                timeout=settings.WHATSAPP_TIMEOUT_S,
            )
        except requests.RequestException as exc:
            log.warning("fonnte unreachable: %s", type(exc).__name__)
            return SendResult(ok=False, detail="unreachable")
        try:
            body = response.json()
        except ValueError:
            return SendResult(ok=False, detail=f"http {response.status_code}, not JSON")
        if response.status_code != 200 or body.get("status") is not True:
            return SendResult(
                ok=False, detail=str(body.get("reason") or f"http {response.status_code}")[:200]
            )
        ids = body.get("id") or []
        return SendResult(
            ok=True, detail=str(body.get("detail", ""))[:200], provider_id=str(ids[0] if ids else "")
        )
