"""The access status engine, over every combination of the facts it reads."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from quota.status import AccessFacts, AccessStatus, access_status

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FUP = 3 * 1024**3
GB = 1024**3

EXPIRY = {"none": None, "future": NOW + timedelta(days=1), "now": NOW, "past": NOW - timedelta(seconds=1)}
# (purchased, used) pairs that straddle each boundary of the engine.
QUOTA = {
    "nothing bought": (0, 0),
    "used up exactly": (5 * GB, 5 * GB),
    "overshot": (5 * GB, 5 * GB + 1),
    "one byte left": (5 * GB, 5 * GB - 1),
    "at fup threshold": (5 * GB, 2 * GB),
    "just above fup": (5 * GB, 2 * GB - 1),
    "small package under fup": (2 * GB, 0),
    "package equal to fup": (FUP, FUP - 1),
}


def expected(blocked, approved, active, unlimited, expiry, purchased, used, debt=False):
    """The design's order, written out once more as a reading aid for the table."""
    if blocked:
        return AccessStatus.BLOCKED
    if not approved or not active:
        return AccessStatus.INACTIVE
    if debt:
        return AccessStatus.DEBT
    if expiry is not None and expiry <= NOW:
        return AccessStatus.EXPIRED
    if unlimited:
        return AccessStatus.OK
    if purchased <= 0 or purchased - used <= 0:
        return AccessStatus.HABIS
    if purchased > FUP and purchased - used <= FUP:
        return AccessStatus.FUP
    return AccessStatus.OK


BOOL = [False, True]
CASES = list(itertools.product(BOOL, BOOL, BOOL, BOOL, BOOL, EXPIRY, QUOTA))


@pytest.mark.parametrize(("blocked", "approved", "active", "debt", "unlimited", "expiry", "quota"), CASES)
def test_every_combination_follows_the_design_order(
    blocked, approved, active, debt, unlimited, expiry, quota
):
    purchased, used = QUOTA[quota]
    facts = AccessFacts(
        is_blocked=blocked,
        is_approved=approved,
        is_active=active,
        is_unlimited=unlimited,
        expires_at=EXPIRY[expiry],
        purchased_bytes=purchased,
        used_bytes=used,
        is_debt_blocked=debt,
    )
    got = access_status(facts=facts, now=NOW, fup_threshold_bytes=FUP)
    assert got == expected(blocked, approved, active, unlimited, EXPIRY[expiry], purchased, used, debt)


@pytest.mark.parametrize(
    ("quota", "status"),
    [
        ("nothing bought", "habis"),
        ("used up exactly", "habis"),
        ("overshot", "habis"),
        ("one byte left", "fup"),
        ("at fup threshold", "fup"),
        ("just above fup", "ok"),
        ("small package under fup", "ok"),
        ("package equal to fup", "ok"),
    ],
)
def test_quota_boundaries_for_an_active_resident(quota, status):
    purchased, used = QUOTA[quota]
    facts = AccessFacts(False, True, True, False, EXPIRY["future"], purchased, used)
    assert access_status(facts=facts, now=NOW, fup_threshold_bytes=FUP) == AccessStatus(status)


def test_blocked_wins_over_everything():
    facts = AccessFacts(True, False, False, True, EXPIRY["past"], 0, 0)
    assert access_status(facts=facts, now=NOW, fup_threshold_bytes=FUP) == AccessStatus.BLOCKED


def test_debt_wins_over_expiry_and_quota_but_not_over_a_staff_block_or_inactivity():
    debt = AccessFacts(False, True, True, False, EXPIRY["past"], 5 * GB, 0, is_debt_blocked=True)
    assert access_status(facts=debt, now=NOW, fup_threshold_bytes=FUP) == AccessStatus.DEBT
    blocked = AccessFacts(True, True, True, False, EXPIRY["future"], 5 * GB, 0, is_debt_blocked=True)
    assert access_status(facts=blocked, now=NOW, fup_threshold_bytes=FUP) == AccessStatus.BLOCKED
    inactive = AccessFacts(False, True, False, False, EXPIRY["future"], 5 * GB, 0, is_debt_blocked=True)
    assert access_status(facts=inactive, now=NOW, fup_threshold_bytes=FUP) == AccessStatus.INACTIVE
