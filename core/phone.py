"""Phone numbers: E.164 is the login identity; residents type 08…, 628… or +628…."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(raw: str) -> str:
    """+62… in E.164, or ValidationError with a message a resident understands."""
    text = (raw or "").strip().replace(" ", "").replace("-", "")
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid mobile number, for example 081234567890."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def local_phone(e164: str) -> str:
    """08… form, as residents write it and as Fonnte's countryCode=62 expects it."""
    if e164.startswith("+62"):
        return "0" + e164[3:]
    return e164.lstrip("+")
