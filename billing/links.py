"""Signed links to one order's status page, so the resident can check it from any browser."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "billing.order-status"
MAX_AGE_S = 30 * 24 * 3600


def order_token(order_id: str) -> str:
    return signing.dumps(order_id, salt=SALT, compress=True)


def order_from_token(token: str) -> str | None:
    """The order id the token was made for, or None when it was forged, altered or is too old."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_S)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def order_status_url(order_id: str, *, absolute: bool = False) -> str:
    path = reverse("billing:order-status", args=[order_token(order_id)])
    return f"{settings.PUBLIC_BASE_URL}{path}" if absolute else path


RECEIPT_SALT = "billing.receipt"
RECEIPT_MAX_AGE_S = 366 * 24 * 3600


def receipt_token(number: str) -> str:
    return signing.dumps(number, salt=RECEIPT_SALT, compress=True)


def receipt_from_token(token: str) -> str | None:
    """The invoice number the token was made for, or None when it was forged, altered or is too old."""
    try:
        value = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE_S)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def receipt_url(number: str, *, absolute: bool = False, pdf: bool = False) -> str:
    path = reverse("billing:receipt-pdf" if pdf else "billing:receipt", args=[receipt_token(number)])
    return f"{settings.PUBLIC_BASE_URL}{path}" if absolute else path
