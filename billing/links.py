"""Signed links that open one record without a login, from any browser: an order's status page and an
invoice's receipt. A forged, altered or too old token opens nothing."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse


@dataclass(frozen=True)
class SignedLink:
    salt: str
    max_age_s: int

    def token(self, value: str) -> str:
        return signing.dumps(value, salt=self.salt, compress=True)

    def value(self, token: str) -> str | None:
        """The value the token was made for, or None when it was forged, altered or is too old."""
        try:
            value = signing.loads(token, salt=self.salt, max_age=self.max_age_s)
        except signing.BadSignature:
            return None
        return value if isinstance(value, str) else None

    def url(self, url_name: str, value: str, *, absolute: bool) -> str:
        path = reverse(url_name, args=[self.token(value)])
        return f"{settings.PUBLIC_BASE_URL}{path}" if absolute else path


ORDER = SignedLink(salt="billing.order-status", max_age_s=30 * 24 * 3600)
RECEIPT = SignedLink(salt="billing.receipt", max_age_s=366 * 24 * 3600)


def order_from_token(token: str) -> str | None:
    return ORDER.value(token)


def order_status_url(order_id: str, *, absolute: bool = False) -> str:
    return ORDER.url("billing:order-status", order_id, absolute=absolute)


def receipt_from_token(token: str) -> str | None:
    return RECEIPT.value(token)


def receipt_url(number: str, *, absolute: bool = False, pdf: bool = False) -> str:
    return RECEIPT.url("billing:receipt-pdf" if pdf else "billing:receipt", number, absolute=absolute)
