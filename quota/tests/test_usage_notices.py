"""Who gets which WhatsApp notice, and that each goes out once."""

from datetime import UTC, datetime, timedelta

import pytest

from core.units import GIB, MIB
from core.whatsapp.memory import messages_to
from quota.metering.cycles import usage_cycle
from quota.notifications import transition_message, warnings_due
from quota.services import quota_grant
from quota.status import AccessStatus
from quota.tests.usage_support import *  # noqa: F403 - fixtures

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("old", "new", "announced"),
    [
        ("ok", "fup", True),
        ("fup", "habis", True),
        ("ok", "habis", True),
        ("habis", "ok", True),
        ("fup", "ok", True),
        ("ok", "ok", False),
        ("ok", "expired", False),  # expiry has its own warnings
        ("habis", "blocked", False),  # blocking sends its own message
    ],
)
def test_which_transitions_are_announced(old, new, announced):
    assert (transition_message(old=old, new=new, remaining_bytes=MIB) is not None) == announced


def _due(**overrides):
    facts = dict(
        status=AccessStatus.OK, is_unlimited=False, purchased_bytes=10 * GIB, remaining_bytes=5 * GIB,
        expires_at=NOW + timedelta(days=20), now=NOW, low_thresholds_mb=[500, 100], expiry_days=[7, 3, 1],
    )  # fmt: skip
    facts.update(overrides)
    return [keys for keys, _text in warnings_due(**facts)]


@pytest.mark.parametrize(
    ("case", "overrides", "expected"),
    [
        ("plenty left, far from expiry", {}, []),
        ("under 500 MB", {"remaining_bytes": 400 * MIB}, [["low:500:10737418240"]]),
        (
            "under both thresholds: nearest first",
            {"remaining_bytes": 50 * MIB},
            [["low:100:10737418240", "low:500:10737418240"]],
        ),
        (
            "a new purchase starts the thresholds again",
            {"remaining_bytes": 400 * MIB, "purchased_bytes": 11 * GIB},
            [["low:500:11811160064"]],
        ),
        ("used up: the status message says it", {"remaining_bytes": 0, "status": AccessStatus.HABIS}, []),
        ("unlimited: no low-quota warning", {"remaining_bytes": MIB, "is_unlimited": True}, []),
        (
            "small package below the threshold: no warning",
            {"purchased_bytes": 80 * MIB, "remaining_bytes": 50 * MIB},
            [],
        ),
        ("6 days to expiry", {"expires_at": NOW + timedelta(days=6)}, [["expiry:7:20260307T080000"]]),
        (
            "2 days to expiry",
            {"expires_at": NOW + timedelta(days=2)},
            [["expiry:3:20260303T080000", "expiry:7:20260303T080000"]],
        ),
        (
            "12 hours to expiry",
            {"expires_at": NOW + timedelta(hours=12)},
            [["expiry:1:20260301T200000", "expiry:3:20260301T200000", "expiry:7:20260301T200000"]],
        ),
        ("already expired", {"expires_at": NOW - timedelta(hours=1), "status": AccessStatus.EXPIRED}, []),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_warnings_due(case, overrides, expected):
    assert _due(**overrides) == expected


def test_low_quota_warning_goes_once_per_purchase(resident, sim, clock, after_commit, settings):
    settings.QUOTA_GUARD_HORIZON_S = 0
    settings.LOW_QUOTA_WARNING_MB = [50]
    user, ip = resident(quota_bytes=60 * MIB)
    with after_commit():
        usage_cycle(now=clock)
    sim.start_flow(ip, 8 * 1_000_000, seconds=15)
    sim.advance(15)
    with after_commit():
        usage_cycle(now=clock)
        sim.advance(60)
        usage_cycle(now=clock)
    assert len(messages_to(user.phone)) == 1
    with after_commit():
        quota_grant(user=user, amount_bytes=MIB, days=30, idempotency_key="test:small-topup")
        sim.advance(60)
        usage_cycle(now=clock)
        usage_cycle(now=clock)
    assert len(messages_to(user.phone)) == 2


def test_each_expiry_warning_goes_once_through_real_cycles(resident, sim, clock, after_commit):
    from quota.models import QuotaBalance

    user, _ = resident(quota_bytes=GIB)
    QuotaBalance.objects.filter(user=user).update(expires_at=clock() + timedelta(days=6, hours=12))
    with after_commit():
        usage_cycle(now=clock)
        sim.advance(60)
        usage_cycle(now=clock)
    assert len(messages_to(user.phone)) == 1  # the 7-day warning, not repeated by the second cycle

    sim.advance(60)
    with after_commit():
        QuotaBalance.objects.filter(user=user).update(expires_at=clock() + timedelta(hours=20))
        usage_cycle(now=clock)
        sim.advance(60)
        usage_cycle(now=clock)
    texts = messages_to(user.phone)
    assert len(texts) == 2  # one message for the 1-day warning, once
    assert "1 hari" in texts[-1]
