"""Cloudflare Turnstile, checked on the server before any code is sent.

The token is single use and valid 300 s; the check POSTs it with our secret to TURNSTILE_VERIFY_URL.
Any failure (network, timeout, malformed answer) counts as "not verified": no message goes out.
"""

import logging
import uuid
from dataclasses import dataclass, field

import requests
from django.conf import settings

log = logging.getLogger(__name__)

TOKEN_FIELD = "cf-turnstile-response"
ACTION = "otp"
# Cloudflare's published dummy site keys: they emit this token and need no script to prove anything.
DUMMY_SITE_KEYS = frozenset(
    {
        "1x00000000000000000000AA",
        "2x00000000000000000000AB",
        "1x00000000000000000000BB",
        "2x00000000000000000000BB",
        "3x00000000000000000000FF",
    }
)
DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX"


@dataclass(frozen=True)
class TurnstileResult:
    success: bool
    error_codes: list[str] = field(default_factory=list)


def site_key_is_dummy() -> bool:
    return settings.TURNSTILE_SITE_KEY in DUMMY_SITE_KEYS


def turnstile_verify(*, token: str, remote_ip: str = "") -> TurnstileResult:
    token = (token or "").strip()
    if not token:
        return TurnstileResult(False, ["missing-input-response"])
    if len(token) > 2048:
        return TurnstileResult(False, ["invalid-input-response"])
    data = {
        "secret": settings.TURNSTILE_SECRET_KEY,
        "response": token,
        "idempotency_key": str(uuid.uuid4()),
    }
    if remote_ip:
        data["remoteip"] = remote_ip
    try:
        response = requests.post(
            settings.TURNSTILE_VERIFY_URL, data=data, timeout=settings.TURNSTILE_TIMEOUT_S
        )
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.warning("turnstile check failed: %s", type(exc).__name__)
        return TurnstileResult(False, ["unreachable"])
    if response.status_code != 200 or not isinstance(body, dict):
        return TurnstileResult(False, [f"http-{response.status_code}"])
    errors = [str(code) for code in body.get("error-codes") or []]
    if body.get("success") is not True:
        return TurnstileResult(False, errors or ["not-success"])
    # Dummy keys answer without an action; a real widget must have been rendered for our form.
    action = body.get("action")
    if action and action != ACTION:
        return TurnstileResult(False, ["action-mismatch"])
    # A token solved on somebody else's site that uses our site key is not a check of our visitor.
    if settings.TURNSTILE_HOSTNAMES and body.get("hostname") not in settings.TURNSTILE_HOSTNAMES:
        return TurnstileResult(False, ["hostname-mismatch"])
    return TurnstileResult(True, errors)
