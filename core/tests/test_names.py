"""The one rule for names people type (core.names): what is refused, what is tidied."""

import pytest
from django.core.exceptions import ValidationError

from core.names import name_clean

# Inputs a hostile or careless user sent; each must be refused for a person's name.
HOSTILE_NAMES = [
    ("right-to-left override", "Budi\u202eotnaS"),
    ("left-to-right isolate", "Budi \u2066Santoso"),
    ("zero-width space", "Budi\u200bSantoso"),
    ("zero-width joiner", "Bu\u200ddi"),
    ("byte order mark", "\ufeffBudi"),
    ("NUL", "Budi\x00"),
    ("escape", "Budi \x1b[31m"),
    ("C1 control", "Budi\x85\x9b"),
    ("private use", "Budi \ue000"),
    ("no letter", "12345"),
    ("only punctuation", "..."),
    ("only emoji", "\U0001f600\U0001f600"),
    ("only zero-width", "\u200b\u200b\u200b"),
]


@pytest.mark.parametrize(("case", "raw"), HOSTILE_NAMES)
def test_invisible_control_and_letterless_names_are_refused(case, raw):
    with pytest.raises(ValidationError) as excinfo:
        name_clean(raw, max_length=120)
    assert excinfo.value.messages[0].startswith("Nama "), case


def test_whitespace_collapses_and_text_is_nfc():
    assert name_clean("  Budi \t\n  Santoso\u00a0 ", max_length=120) == "Budi Santoso"
    assert name_clean("Jose\u0301", max_length=120) == "Jos\u00e9"


def test_a_block_or_room_may_be_a_number_but_not_empty_or_invisible():
    assert name_clean(" 12 ", max_length=40, letter_required=False) == "12"
    for raw in ["-", "\u200b1", "1\u202e2"]:
        with pytest.raises(ValidationError):
            name_clean(raw, max_length=40, letter_required=False)


def test_the_length_is_bounded_after_collapsing():
    assert name_clean("A" + " " * 500 + "B", max_length=3) == "A B"
    with pytest.raises(ValidationError) as excinfo:
        name_clean("A" * 121, max_length=120)
    assert excinfo.value.messages == ["Nama terlalu panjang (paling banyak 120 karakter)."]


def test_blank_is_allowed_only_where_asked():
    assert name_clean("   ", max_length=60, blank=True) == ""
    with pytest.raises(ValidationError):
        name_clean("   ", max_length=60)
