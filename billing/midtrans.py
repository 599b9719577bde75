"""Midtrans gateway: the midtransclient Snap object with timeouts and overridable base URLs, the
notification signature, and the status API reduced to three outcomes (found, not found, unavailable).
"""

import hashlib
import hmac
import logging

import midtransclient
import requests
from django.conf import settings

log = logging.getLogger(__name__)


class MidtransUnavailable(Exception):
    """Midtrans could not be reached or answered with something we cannot trust (timeout, 5xx, not JSON)."""


class MidtransRejected(Exception):
    """Midtrans answered and refused the request (4xx or an error status in the body)."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


class TimeoutSession(requests.Session):
    """midtransclient calls `requests` without a timeout; this session gives every call one."""

    def __init__(self, timeout: float):
        super().__init__()
        self.default_timeout = timeout
        # Each server thread may be waiting on Midtrans at once; keep their connections alive.
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=64)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


_sessions: dict[float, TimeoutSession] = {}


def _shared_session(timeout: float) -> TimeoutSession:
    # One pooled session per process and timeout: keep-alive to Midtrans saves a TLS handshake per call.
    session = _sessions.get(timeout)
    if session is None:
        session = _sessions.setdefault(timeout, TimeoutSession(timeout))
    return session


def snap_client(timeout: float | None = None) -> midtransclient.Snap:
    snap = midtransclient.Snap(
        is_production=settings.MIDTRANS_IS_PRODUCTION,
        server_key=settings.MIDTRANS_SERVER_KEY,
        client_key=settings.MIDTRANS_CLIENT_KEY,
    )
    snap.http_client.http_client = _shared_session(timeout or settings.MIDTRANS_TIMEOUT_S)
    # The library reads base URLs through the instance, so overriding them here leaves other clients alone.
    if settings.MIDTRANS_SNAP_BASE_URL:
        base = settings.MIDTRANS_SNAP_BASE_URL.rstrip("/")
        snap.api_config.SNAP_SANDBOX_BASE_URL = snap.api_config.SNAP_PRODUCTION_BASE_URL = base
    if settings.MIDTRANS_API_BASE_URL:
        base = settings.MIDTRANS_API_BASE_URL.rstrip("/")
        snap.api_config.CORE_SANDBOX_BASE_URL = snap.api_config.CORE_PRODUCTION_BASE_URL = base
    return snap


def signature_for(
    *, order_id: str, status_code: str, gross_amount: str, server_key: str | None = None
) -> str:
    key = settings.MIDTRANS_SERVER_KEY if server_key is None else server_key
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{key}".encode()).hexdigest()


def signature_valid(payload: dict) -> bool:
    """SHA-512 over the exact received strings, compared in constant time."""
    expected = signature_for(
        order_id=payload["order_id"], status_code=payload["status_code"], gross_amount=payload["gross_amount"]
    )
    return hmac.compare_digest(expected.encode(), str(payload["signature_key"]).lower().encode())


def _error_messages(exc: midtransclient.error_midtrans.MidtransAPIError) -> list[str]:
    body = exc.api_response_dict if isinstance(exc.api_response_dict, dict) else {}
    messages = body.get("error_messages") or [body.get("status_message") or "error"]
    return [str(m) for m in messages]


def snap_create(params: dict) -> dict:
    """{token, redirect_url} for a new Snap transaction."""
    try:
        response = snap_client().create_transaction(params)
    except midtransclient.error_midtrans.MidtransAPIError as exc:
        if exc.http_status_code >= 500:
            raise MidtransUnavailable(str(exc.http_status_code)) from exc
        raise MidtransRejected(_error_messages(exc)) from exc
    except (requests.RequestException, midtransclient.error_midtrans.JSONDecodeError, ValueError) as exc:
        raise MidtransUnavailable(type(exc).__name__) from exc
    if not isinstance(response, dict) or not response.get("token") or not response.get("redirect_url"):
        raise MidtransUnavailable("unexpected Snap answer")
    return response


def status_fetch(order_id: str, *, timeout: float | None = None) -> dict | None:
    """The status API's answer for the order, None when Midtrans does not know it (yet).

    Until the customer picks a payment method Midtrans answers 404 "Transaction doesn't exist.".
    """
    try:
        response = snap_client(timeout).transactions.status(order_id)
    except midtransclient.error_midtrans.MidtransAPIError as exc:
        body = exc.api_response_dict if isinstance(exc.api_response_dict, dict) else {}
        # midtransclient raises for an error status in the body even on HTTP 200, so look at both.
        if exc.http_status_code == 404 or str(body.get("status_code")) == "404":
            return None
        raise MidtransUnavailable(f"http {exc.http_status_code} status {body.get('status_code')}") from exc
    except (requests.RequestException, midtransclient.error_midtrans.JSONDecodeError, ValueError) as exc:
        raise MidtransUnavailable(type(exc).__name__) from exc
    if not isinstance(response, dict) or not response.get("transaction_status"):
        raise MidtransUnavailable("unexpected status answer")
    return response
