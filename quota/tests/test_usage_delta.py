"""The counter delta rule, as a table."""

from datetime import UTC, datetime, timedelta

import pytest

from quota.metering.delta import Reading, counter_delta

T = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
GBPS = 1_000_000_000


def reading(queue_id="*1", up=0, down=0, uptime=1000, at=0):
    read_at = T + timedelta(seconds=at)
    return Reading(queue_id, up, down, uptime, read_at - timedelta(seconds=uptime), read_at)


LAST = reading(up=100, down=1000, uptime=1000, at=0)
CASES = [
    # (what happened, current reading, delta up, delta down, reset, rejected)
    ("steady counting: raw minus last", reading(up=150, down=4000, uptime=1060, at=60), 50, 3000, "", False),
    ("nothing moved", reading(up=100, down=1000, uptime=1060, at=60), 0, 0, "", False),
    ("uptime went back: reboot", reading(up=10, down=20, uptime=30, at=60), 10, 20, "reboot", False),
    (
        "rebooted and counted past the last value",
        reading(up=500, down=9000, uptime=40, at=60),
        500,
        9000,
        "reboot",
        False,
    ),
    (
        "queue re-created (.id changed)",
        reading("*9", up=7, down=70, uptime=1060, at=60),
        7,
        70,
        "recreated",
        False,
    ),
    (
        "re-created with a larger counter",
        reading("*9", up=900, down=9000, uptime=1060, at=60),
        900,
        9000,
        "recreated",
        False,
    ),
    (
        "download counter went down",
        reading(up=120, down=500, uptime=1060, at=60),
        120,
        500,
        "went_down",
        False,
    ),
    ("upload counter went down", reading(up=5, down=2000, uptime=1060, at=60), 5, 2000, "went_down", False),
    (
        "a boot marker wobble of a second is no reboot",
        reading(up=150, down=4000, uptime=1059, at=60),
        50,
        3000,
        "",
        False,
    ),
    (
        "above link rate x elapsed: rejected",
        reading(up=100, down=1000 + 8 * GBPS, uptime=1060, at=60),
        0,
        8 * GBPS,
        "",
        True,
    ),
    (
        "at link rate x elapsed: accepted",
        reading(up=100, down=1000 + 60 * GBPS // 8, uptime=1060, at=60),
        0,
        60 * GBPS // 8,
        "",
        False,
    ),
]


@pytest.mark.parametrize(
    ("case", "current", "up", "down", "reset", "rejected"), CASES, ids=[c[0] for c in CASES]
)
def test_counter_delta(case, current, up, down, reset, rejected):
    delta = counter_delta(last=LAST, current=current, link_rate_bps=GBPS, tolerance_s=5)
    assert (delta.bytes_up, delta.bytes_down, delta.reset, delta.rejected) == (up, down, reset, rejected)
    assert delta.total >= 0


def test_first_sight_of_a_queue_counts_its_counter_within_the_uptime():
    delta = counter_delta(
        last=None, current=reading(up=3, down=4, uptime=10), link_rate_bps=GBPS, tolerance_s=5
    )
    assert (delta.total, delta.reset) == (7, "first")
    huge = counter_delta(
        last=None, current=reading(down=10 * GBPS, uptime=10), link_rate_bps=GBPS, tolerance_s=5
    )
    assert huge.rejected and huge.total == 0


def test_a_step_of_our_own_clock_is_not_a_reboot():
    # Our clock jumped 10 minutes ahead; the router kept counting: the marker moved, the router did not boot.
    jumped = Reading(
        "*1", 150, 4000, 1060, T + timedelta(seconds=600 + 60 - 1060), T + timedelta(seconds=660)
    )
    delta = counter_delta(last=LAST, current=jumped, link_rate_bps=GBPS, tolerance_s=5)
    assert (delta.total, delta.reset) == (3050, "")
