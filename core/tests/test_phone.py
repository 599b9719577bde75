"""Phone numbers: the forms residents type, what is refused, and two properties over any text."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.phone import normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "81234567890",
        "6281234567890",
        "+6281234567890",
        "006281234567890",
        "+62 812-3456-7890",
        "(0812) 3456.7890",
        "  0812 3456 7890  ",
    ],
)
def test_every_indonesian_way_of_writing_a_number_gives_one_e164(raw):
    assert normalize_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    "raw", ["08129999ABCD", "0812-CALL-NOW", "0812345678o", "081234567890x", "０８１２３４５６７８９０"]
)
def test_letters_are_never_read_as_keypad_digits(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.messages == [
        "Nomor HP hanya boleh berisi angka, spasi, titik, tanda hubung, tanda kurung, dan + di depan."
    ]


@pytest.mark.parametrize("raw", ["+6281234567890+", "0812+34567890", "++6281234567890", "0812/3456/7890"])
def test_other_symbols_and_a_plus_inside_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.parametrize("raw", ["+60123456789", "0060123456789", "+12025550123"])
def test_a_foreign_number_is_refused_by_default(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.messages == ["Hanya nomor Indonesia yang diterima: +62… atau 08…."]


def test_a_foreign_number_is_accepted_when_its_country_is_allowed(settings):
    settings.PHONE_ALLOWED_COUNTRIES = ["ID", "MY"]
    assert normalize_phone("+60 12-345 6789") == "+60123456789"
    assert normalize_phone("0060123456789") == "+60123456789"
    assert normalize_phone("081234567890") == "+6281234567890"
    with pytest.raises(ValidationError) as excinfo:
        normalize_phone("+12025550123")
    assert excinfo.value.messages == ["Nomor dari negara ini tidak diterima."]


_phone_alphabet = st.sampled_from("0123456789 .-()+abcXYZ\u200b\u202e٣")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(_phone_alphabet, max_size=24), st.text(max_size=24)))
def test_normalising_is_idempotent(raw):
    try:
        once = normalize_phone(raw)
    except ValidationError:
        return
    assert normalize_phone(once) == once


@settings(max_examples=400, deadline=None)
@given(
    st.text("0123456789 .-()+", min_size=8, max_size=18),
    st.characters(categories=["L"]),
    st.integers(min_value=0, max_value=18),
)
def test_a_number_with_a_letter_in_it_is_never_accepted(digits, letter, position):
    raw = digits[:position] + letter + digits[position:]
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"8[1-9][0-9]{7,10}", fullmatch=True))
def test_every_written_form_of_a_number_agrees(national):
    try:
        expected = normalize_phone("0" + national)
    except ValidationError:
        return
    for form in (national, "62" + national, "+62" + national, "0062" + national, "+62 " + national):
        assert normalize_phone(form) == expected
