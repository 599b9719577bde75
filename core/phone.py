"""Phone numbers: E.164 is the login identity; residents type 08…, 8…, 62…, +62… or 0062….

Only digits, spaces, dots, dashes, parentheses and one leading ``+`` are accepted: phonenumbers would
otherwise read letters as keypad digits (``08129999ABCD`` would become a real, different number).
Numbers outside the regions of ``PHONE_ALLOWED_COUNTRIES`` (default ``ID``) are refused.
"""

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A person's way of writing a number: separators anywhere, a "+" only in front. Bounded, so a pasted
# page never reaches the parser.
_ALLOWED = re.compile(r"\+?[0-9 .()\-]{1,40}")
_SEPARATORS = re.compile(r"[ .()\-]")


def _invalid() -> ValidationError:
    return ValidationError(_("Enter a valid mobile number, for example 081234567890."), code="invalid_phone")


def allowed_regions() -> frozenset[str]:
    return frozenset(getattr(settings, "PHONE_ALLOWED_COUNTRIES", None) or ("ID",))


def normalize_phone(raw: str) -> str:
    """+62… in E.164 (or another allowed country's number), or ValidationError with a message a
    resident understands. Idempotent: a normalized number normalizes to itself."""
    text = (raw or "").strip()
    if not text:
        raise _invalid()
    if not _ALLOWED.fullmatch(text):
        raise ValidationError(
            _(
                "A phone number may contain only digits, spaces, dots, dashes, parentheses "
                "and a + at the start."
            ),
            code="phone_characters",
        )
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("00"):  # 0062…: the international prefix written as digits
        digits = "+" + digits[2:]
    elif digits.startswith("62"):
        digits = "+" + digits
    elif digits.startswith("8"):  # 812…: the national number without its leading 0
        digits = "0" + digits
    if len(digits.lstrip("+")) > 15:  # E.164's limit
        raise _invalid()
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        raise _invalid() from None
    if not phonenumbers.is_valid_number(number):
        raise _invalid()
    regions = allowed_regions()
    if phonenumbers.region_code_for_number(number) not in regions:
        if regions == {"ID"}:
            message = _("Only Indonesian numbers are accepted: +62… or 08….")
        else:
            message = _("Numbers from this country are not accepted.")
        raise ValidationError(message, code="phone_country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def local_phone(e164: str) -> str:
    """08… form, as residents write it and as Fonnte's countryCode=62 expects it."""
    if e164.startswith("+62"):
        return "0" + e164[3:]
    return e164.lstrip("+")
