"""The quota guard against the simulator: enrol, cap the queue, stop at zero, release."""

from accounts.models import Device
from core.units import GIB, MIB
from core.whatsapp.memory import messages_to
from quota.metering.cycles import guard_cycle, usage_cycle
from quota.models import QuotaBalance
from quota.selectors import access_status_of
from quota.services import quota_grant
from quota.tests.usage_support import *  # noqa: F403 - fixtures
from quota.tests.usage_support import queue_row, used
from routers.state import parse_rate_pair

M = 1_000_000


def _limit(sim, user):
    row = queue_row(sim, user)
    return parse_rate_pair(row["max-limit"]) if row else None


def test_fast_cycle_enrols_caps_the_queue_and_releases_after_a_purchase(resident, sim, clock, after_commit):
    user, _ = resident(quota_bytes=5 * MIB)
    assert _limit(sim, user) == (10 * M, 10 * M)

    with after_commit():
        report = usage_cycle(now=clock)
    assert report.guarded == 1
    assert QuotaBalance.objects.get(user=user).guard_rate_bps == 4_194_000
    assert _limit(sim, user) == (4_194_000, 4_194_000)

    with after_commit():
        quota_grant(user=user, amount_bytes=GIB, days=30, idempotency_key="test:topup")
        sim.advance(5)
        guard_cycle(now=clock)
    assert QuotaBalance.objects.get(user=user).guard_rate_bps is None
    assert _limit(sim, user) == (10 * M, 10 * M)


def test_fast_cycle_polls_only_the_guarded_queues(resident, sim, clock, after_commit):
    guarded, _ = resident(quota_bytes=5 * MIB)
    resident(quota_bytes=10 * GIB)
    with after_commit():
        usage_cycle(now=clock)
    sim.clear_log()
    sim.advance(5)
    with after_commit():
        guard_cycle(now=clock)
    queue_prints = [e for e in sim.log if e.verb == "print" and e.command.startswith("/queue/simple")]
    assert len(queue_prints) == 1 and f"?name=lps-u{guarded.pk}" in queue_prints[0].words


def test_guard_stops_a_100_mbps_download_within_a_mebibyte_of_zero(
    resident, sim, clock, after_commit, settings
):
    settings.RATE_TIERS = {"standard": "10M/10M", "fast": "100M/100M"}
    user, ip = resident(quota_bytes=100 * MIB)
    QuotaBalance.objects.filter(user=user).update(rate_tier="fast")
    with after_commit():
        usage_cycle(now=clock)
    sim.start_flow(ip, 100 * M)
    for _ in range(60):
        sim.advance(5)
        with after_commit():
            guard_cycle(now=clock)
        if queue_row(sim, user) is None:
            break
    user.refresh_from_db()
    balance = QuotaBalance.objects.get(user=user)
    assert access_status_of(user, balance) == "habis"
    assert queue_row(sim, user) is None
    assert Device.objects.filter(user=user, is_authorized=True).exists()  # the device stays, captured
    assert 0 <= used(user) - 100 * MIB <= MIB
    assert len(messages_to(user.phone)) == 1


def test_fup_and_habis_converge_in_the_same_cycle_and_send_one_message_each(
    resident, sim, clock, after_commit, settings
):
    settings.QUOTA_FUP_THRESHOLD_BYTES = 50 * MIB
    settings.QUOTA_GUARD_HORIZON_S = 0
    settings.LOW_QUOTA_WARNING_MB = []
    settings.EXPIRY_WARNING_DAYS = []
    user, ip = resident(quota_bytes=60 * MIB)
    with after_commit():
        usage_cycle(now=clock)
    sim.start_flow(ip, 8 * M, seconds=15)
    sim.advance(15)
    with after_commit():
        to_fup = usage_cycle(now=clock)
    assert [t[1:] for t in to_fup.transitions] == [("ok", "fup")]
    assert _limit(sim, user) == (M, M)
    assert len(messages_to(user.phone)) == 1

    sim.start_flow(ip, 8 * M)
    sim.advance(400)  # the FUP queue lets 1 Mbit/s through: about 50 MB
    with after_commit():
        to_habis = usage_cycle(now=clock)
        usage_cycle(now=clock)
    assert [t[1:] for t in to_habis.transitions] == [("fup", "habis")]
    assert queue_row(sim, user) is None
    assert not [
        r
        for r in sim.menu("/ip/hotspot/ip-binding").rows()
        if r.get("comment", "").startswith(f"lps:u={user.pk}:")
    ]
    assert len(messages_to(user.phone)) == 2


def test_a_purchase_out_of_fair_use_lifts_the_guard_at_once(resident, sim, clock, after_commit, settings):
    settings.QUOTA_FUP_THRESHOLD_BYTES = 50 * MIB
    user, _ = resident(quota_bytes=60 * MIB)
    QuotaBalance.objects.filter(user=user).update(used_bytes=59 * MIB)  # 1 MiB left: fup and guarded
    with after_commit():
        usage_cycle(now=clock)
    assert _limit(sim, user) == (838_000, 838_000)

    with after_commit():
        quota_grant(user=user, amount_bytes=10 * GIB, days=30, idempotency_key="test:fup-topup")

    assert QuotaBalance.objects.get(user=user).guard_rate_bps is None
    assert _limit(sim, user) == (10 * M, 10 * M)  # before any fast cycle runs


def test_a_small_grant_to_a_resident_without_quota_is_guarded_at_once(resident, sim, clock, after_commit):
    user, _ = resident()
    with after_commit():
        usage_cycle(now=clock)
    assert queue_row(sim, user) is None  # habis: no queue

    with after_commit():
        quota_grant(user=user, amount_bytes=5 * MIB, days=1, idempotency_key="test:small-grant")

    assert QuotaBalance.objects.get(user=user).guard_rate_bps == 4_194_000
    assert _limit(sim, user) == (4_194_000, 4_194_000)  # not the 10M tier until the next normal cycle


def test_a_top_up_that_keeps_the_status_ok_still_lifts_the_guard_at_once(resident, sim, clock, after_commit):
    """ok before and ok after: the purchase must still reach the router, or the cap stays until the next
    fast cycle (or the next normal one, if the guard process is down)."""
    user, _ = resident(quota_bytes=2 * GIB)  # below the FUP threshold: ok however little is left
    QuotaBalance.objects.filter(user=user).update(used_bytes=2 * GIB - MIB)  # 1 MiB left: guarded
    with after_commit():
        usage_cycle(now=clock)
    assert QuotaBalance.objects.get(user=user).guard_rate_bps is not None

    with after_commit():
        quota_grant(user=user, amount_bytes=GIB, days=30, idempotency_key="test:ok-topup")

    assert QuotaBalance.objects.get(user=user).guard_rate_bps is None
    assert _limit(sim, user) == (10 * M, 10 * M)
