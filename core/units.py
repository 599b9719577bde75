"""Bytes are integers; gigabytes appear only when a person types or reads a number (1 GB = 1024³ B)."""

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


def format_rupiah(amount: int) -> str:
    """Rupiah with the active language's thousands separator: 'Rp 25.000' (templates: intcomma)."""
    return f"Rp {intcomma(int(amount))}"
