"""The quota guard rate, as a table."""

import pytest

from core.units import GIB, MIB
from quota.metering.rates import guard_rate
from quota.status import AccessStatus

M = 1_000_000
TIER = (10 * M, 10 * M)
FAST = (100 * M, 100 * M)

CASES = [
    # (case, status, unlimited, remaining, rate, expected guard bit/s)
    ("plenty left: not guarded", AccessStatus.OK, False, 10 * GIB, TIER, None),
    ("just above the horizon: not guarded", AccessStatus.OK, False, 300_000_001, TIER, None),
    ("within the horizon, above the tier: tier rate", AccessStatus.OK, False, 300_000_000, TIER, 10 * M),
    ("small remainder: shared by both directions", AccessStatus.OK, False, 5 * MIB, TIER, 4_194_000),
    ("fast tier, 100 MB left", AccessStatus.OK, False, 100 * MIB, FAST, 83_886_000),
    ("last bytes: the floor, never 0 (unlimited on RouterOS)", AccessStatus.OK, False, 1000, TIER, 64_000),
    ("fair use users are guarded at their FUP rate", AccessStatus.FUP, False, MIB, (M, M), 838_000),
    ("used up: no guard, the queue is gone", AccessStatus.HABIS, False, 0, TIER, None),
    ("unlimited: never guarded", AccessStatus.OK, True, 1000, TIER, None),
    ("blocked: never guarded", AccessStatus.BLOCKED, False, 1000, TIER, None),
    ("expired: never guarded", AccessStatus.EXPIRED, False, 1000, TIER, None),
]


@pytest.mark.parametrize(
    ("case", "status", "unlimited", "remaining", "rate", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_guard_rate(case, status, unlimited, remaining, rate, expected):
    got = guard_rate(
        status=status,
        is_unlimited=unlimited,
        remaining_bytes=remaining,
        rate=rate,
        horizon_s=120,
        fast_interval_s=5,
        min_rate_bps=64_000,
    )
    assert got == expected


@pytest.mark.parametrize("remaining", [1, 1000, MIB, 5 * MIB, 37 * MIB, 100 * MIB, 290 * MIB])
def test_one_fast_interval_at_the_guard_rate_never_passes_zero_by_more_than_the_floor(remaining):
    rate = guard_rate(
        status=AccessStatus.OK, is_unlimited=False, remaining_bytes=remaining, rate=(GIB, GIB),
        horizon_s=120, fast_interval_s=5, min_rate_bps=64_000,
    )  # fmt: skip
    both_directions_saturated = 2 * rate * 5 // 8
    assert both_directions_saturated - remaining <= 2 * 64_000 * 5 // 8
