"""The pure code rules, as a table."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts import otp

KEY = "k" * 50
PHONE = "+6281200000001"
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
GOOD = "042917"


def state(**changes):
    values = {
        "code_hash": otp.code_hash(GOOD, phone=PHONE, key=KEY),
        "expires_at": NOW + timedelta(minutes=5),
        "failed_attempts": 0,
        "consumed": False,
    }
    values.update(changes)
    return otp.CodeState(**values)


@pytest.mark.parametrize(
    "case, code_state, typed, expected",
    [
        ("right code", state(), GOOD, otp.Verdict.OK),
        ("right code typed with spaces", state(), "042 917", otp.Verdict.OK),
        ("wrong code", state(), "042918", otp.Verdict.WRONG),
        ("too short", state(), "04291", otp.Verdict.WRONG),
        ("letters", state(), "04291a", otp.Verdict.WRONG),
        ("one try left", state(failed_attempts=4), GOOD, otp.Verdict.OK),
        ("five wrong tries lock even the right code", state(failed_attempts=5), GOOD, otp.Verdict.LOCKED),
        ("expired at the second it ends", state(expires_at=NOW), GOOD, otp.Verdict.EXPIRED),
        ("used codes never work again", state(consumed=True), GOOD, otp.Verdict.USED),
        ("used beats locked", state(consumed=True, failed_attempts=9), GOOD, otp.Verdict.USED),
    ],
)
def test_code_rules(case, code_state, typed, expected):
    verdict = otp.code_check(state=code_state, typed=typed, phone=PHONE, key=KEY, now=NOW, max_attempts=5)
    assert verdict == expected, case


def test_a_code_for_one_number_does_not_match_another():
    other = otp.CodeState(
        otp.code_hash(GOOD, phone="+6281200000002", key=KEY), NOW + timedelta(minutes=5), 0, False
    )
    verdict = otp.code_check(state=other, typed=GOOD, phone=PHONE, key=KEY, now=NOW, max_attempts=5)
    assert verdict == otp.Verdict.WRONG


def test_codes_are_six_digits_and_vary():
    codes = {otp.code_make() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150


def test_the_hash_does_not_contain_the_code():
    assert GOOD not in otp.code_hash(GOOD, phone=PHONE, key=KEY)
