"""Bytes are integers; gigabytes appear only when a person types or reads a number (1 GB = 1024³ B)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

KIB = 1024
MIB = 1024**2
GIB = 1024**3
UNITS = {"GB": GIB, "MB": MIB, "B": 1}


def to_bytes(amount, unit: str) -> int:
    """'1.5', 'GB' → 1610612736. Rejects negatives, non-numbers and unknown units clearly."""
    if unit not in UNITS:
        raise ValidationError(_("Unknown unit %(unit)s.") % {"unit": unit}, code="unit")
    try:
        value = Decimal(str(amount).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="number") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    return int((value * UNITS[unit]).to_integral_value(rounding=ROUND_HALF_UP))


def format_bytes(n: int | None) -> str:
    """Human form for pages and messages, in the active language's number format: '2,50 GB' in
    Indonesian ('2.50 GB' in English), '512,0 MB', '411,3 KB', '0 B'."""
    if n is None:
        return "-"
    sign = "-" if n < 0 else ""
    n = abs(int(n))
    if n >= GIB:
        return f"{sign}{number_format(round(n / GIB, 2), 2)} GB"
    if n >= MIB:
        return f"{sign}{number_format(round(n / MIB, 1), 1)} MB"
    if n >= KIB:
        return f"{sign}{number_format(round(n / KIB, 1), 1)} KB"
    return f"{sign}{n} B"


def local_time_text(dt) -> str:
    """A moment as residents and staff read it, in messages and in the admin alike: '28-12-2026 16:19 WITA'
    in the institution's zone, or '-' when there is none."""
    if not dt:
        return "-"
    local = timezone.localtime(dt)
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"


def ceil_div(a: int, b: int) -> int:
    """a / b rounded up, in integers (prices and bytes never go through floats)."""
    return -(-a // b)


def format_rupiah(amount: int) -> str:
    """Rupiah with the active language's thousands separator: 'Rp 25.000' (templates: intcomma)."""
    return f"Rp {intcomma(int(amount))}"


# What a person types as an amount: digits, then at most two decimals after a point or a comma. No sign,
# exponent ("1e3"), thousands separator ("1.000,5") or third decimal ("5.000", which reads as five thousand
# in Indonesian).
TYPED_AMOUNT = re.compile(r"^\d{1,12}(?:[.,]\d{1,2})?$", re.ASCII)


def typed_amount_parse(text) -> Decimal:
    """'5,5' or '5.5' → Decimal('5.5'); anything else is refused with a clear message."""
    text = str(text if text is not None else "").strip()
    if text.startswith("-") and TYPED_AMOUNT.match(text[1:]):
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if not TYPED_AMOUNT.match(text):
        raise ValidationError(
            _("Type a number with at most two decimals, such as 5 or 2,5 (no exponent or separators)."),
            code="amount_format",
        )
    return Decimal(text.replace(",", "."))


def format_bytes_exact(n: int) -> str:
    """An amount a person can check against a typo: '5,50 GB = 5.905.580.032 byte'."""
    return _("%(amount)s = %(bytes)s bytes") % {"amount": format_bytes(n), "bytes": intcomma(int(n))}
