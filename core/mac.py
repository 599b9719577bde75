"""MAC addresses: upper-case, colon-separated, as RouterOS prints them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_HEX12 = re.compile(r"^[0-9A-F]{12}$")


def normalize_mac(raw: str) -> str:
    digits = re.sub(r"[:\-.\s]", "", (raw or "").strip().upper())
    if not _HEX12.match(digits):
        raise ValidationError(_("Invalid MAC address: %(mac)s") % {"mac": raw}, code="invalid_mac")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_locally_administered(mac: str) -> bool:
    """True for the random ("private") addresses phones use unless told not to."""
    return bool(int(normalize_mac(mac)[:2], 16) & 0x02)
