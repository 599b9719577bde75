"""The queue rate rule of the design's router table, including the quota guard."""

import pytest

from quota.router_state import queue_max_limit
from quota.status import AccessStatus as S

TIER, FUP = "10M/20M", "1M/1M"


@pytest.mark.parametrize(
    ("status", "guard", "expected"),
    [
        (S.OK, None, (10_000_000, 20_000_000)),
        (S.FUP, None, (1_000_000, 1_000_000)),
        (S.OK, 15_000_000, (10_000_000, 15_000_000)),  # the guard caps each direction separately
        (S.OK, 64_000, (64_000, 64_000)),
        (S.OK, 50_000_000, (10_000_000, 20_000_000)),  # a guard above the tier changes nothing
        (S.FUP, 500_000, (500_000, 500_000)),
        (S.OK, 0, (1, 1)),  # never 0, which RouterOS reads as "no limit"
        (S.HABIS, None, None),
        (S.EXPIRED, 64_000, None),
        (S.INACTIVE, None, None),
        (S.BLOCKED, None, None),
    ],
)
def test_queue_rate_follows_status_tier_and_guard(status, guard, expected):
    assert queue_max_limit(status=status, tier_rate=TIER, fup_rate=FUP, guard_rate_bps=guard) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10M", 10_000_000), ("512k", 512_000), ("1.5M", 1_500_000), ("64000", 64_000), ("1G", 10**9)],
)
def test_router_rates_read_as_routeros_writes_them(text, expected):
    from routers.state import parse_rate

    assert parse_rate(text) == expected
