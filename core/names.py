"""Names people type: residents' full names, blocks, rooms, tamping types, packages, device labels.

One rule for all of them, applied by the forms, the admin and the services alike (`name_clean`):
NFC, whitespace collapsed to single spaces, no invisible or control characters (zero-width characters,
bidirectional overrides such as U+202E, C0/C1 controls, private-use or unassigned code points), at least
one letter (blocks and rooms: a letter or a digit, "A" and "12" are real names), and a bounded length.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control, format (zero-width, bidi), surrogate, private use, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def name_clean(
    value: str | None, *, max_length: int, min_length: int = 1, letter_required: bool = True, blank=False
) -> str:
    """The name as stored, or ValidationError with a message staff and residents understand."""
    text = " ".join(unicodedata.normalize("NFC", value or "").split())
    if not text:
        if blank:
            return ""
        raise ValidationError(_("Enter a name."), code="name_required")
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise ValidationError(
            _("The name contains invisible or control characters; type it again with letters only."),
            code="name_characters",
        )
    if letter_required and not any(char.isalpha() for char in text):
        raise ValidationError(_("A name needs at least one letter."), code="name_letter")
    if not letter_required and not any(char.isalnum() for char in text):
        raise ValidationError(_("A name needs at least one letter or digit."), code="name_letter")
    if len(text) > max_length:
        raise ValidationError(
            _("The name is too long (at most %(limit)d characters).") % {"limit": max_length},
            code="name_length",
        )
    if len(text) < min_length:
        raise ValidationError(
            _("The name is too short (at least %(limit)d characters).") % {"limit": min_length},
            code="name_length",
        )
    return text


class NameField(forms.CharField):
    """A form field that cleans with `name_clean` (max_length is required: every name is bounded)."""

    def __init__(self, *, max_length: int, min_length: int = 1, letter_required: bool = True, **kwargs):
        self.letter_required = letter_required
        # The raw input may be longer than the cleaned name (spaces collapse); the bound is checked after.
        super().__init__(max_length=None, **kwargs)
        self.name_max_length, self.name_min_length = max_length, min_length
        self.widget.attrs.setdefault("maxlength", str(max_length * 2))

    def clean(self, value):
        value = super().clean(value)
        return name_clean(
            value,
            max_length=self.name_max_length,
            min_length=self.name_min_length,
            letter_required=self.letter_required,
            blank=not self.required,
        )
