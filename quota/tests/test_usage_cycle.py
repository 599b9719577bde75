"""The usage cycle against the simulator over TCP: counters become ledger usage exactly once."""

import pytest

from accounts.models import AuditEntry
from core.units import GIB, MIB
from quota.metering.apply import snapshots_apply
from quota.metering.cycles import usage_cycle
from quota.metering.read import snapshots_read
from quota.models import CounterSample, DailyUsage, QuotaBalance, QuotaEntry
from quota.tests.usage_support import *  # noqa: F403 - fixtures
from quota.tests.usage_support import QUEUES, queue_row, used

MBPS = 1_000_000


@pytest.fixture
def metered(resident, clock):
    """(user, ip): a resident with 10 GiB whose queue counters already have their first sample."""
    user, ip = resident(quota_bytes=10 * GIB)
    usage_cycle(now=clock)
    return user, ip


def run_flow(sim, ip, seconds):
    """1,000,000 bytes a second through `ip` for `seconds`, with the router's time stepped past them."""
    sim.start_flow(ip, 8 * MBPS, seconds=seconds)
    sim.advance(seconds)


def test_steady_traffic_is_counted_exactly(metered, sim, clock):
    user, ip = metered
    sim.start_flow(ip, 8 * MBPS)  # 1,000,000 bytes a second, under the 10M tier
    sim.advance(60)
    first = usage_cycle(now=clock)
    sim.advance(60)
    usage_cycle(now=clock)

    assert first.entries == 1 and first.usage_bytes == 60_000_000
    assert used(user) == 120_000_000
    assert (
        -sum(QuotaEntry.objects.filter(user=user, kind="usage").values_list("amount_bytes", flat=True))
        == 120_000_000
    )
    assert DailyUsage.objects.get(user=user).bytes == 120_000_000


def test_upload_and_download_both_count(metered, sim, clock):
    user, ip = metered
    sim.start_flow(ip, 8 * MBPS, direction="down")
    sim.start_flow(ip, 800_000, direction="up")
    sim.advance(10)
    usage_cycle(now=clock)
    assert used(user) == 10_000_000 + 1_000_000


def test_reboot_between_cycles_loses_only_the_bytes_since_the_last_sample(metered, sim, clock):
    user, ip = metered
    flow = sim.start_flow(ip, 8 * MBPS)
    sim.advance(60)
    usage_cycle(now=clock)  # 60 MB
    sim.advance(30)  # 30 MB the router forgets at the reboot
    sim.reboot()
    sim.advance(10)  # 10 MB since the boot
    sim.stop_flow(flow)
    report = usage_cycle(now=clock)
    usage_cycle(now=clock)  # and nothing twice

    assert report.resets == 1
    assert used(user) == 70_000_000


def test_reboot_with_more_traffic_since_boot_than_before_is_not_counted_twice(metered, sim, clock):
    user, ip = metered
    run_flow(sim, ip, 5)
    usage_cycle(now=clock)  # 5 MB
    sim.advance(15)  # the reboot itself takes a while
    sim.reboot()
    run_flow(sim, ip, 20)  # counter now 20 MB, above the last sample: only the reboot tells
    usage_cycle(now=clock)
    assert used(user) == 25_000_000


def test_recreated_queue_counts_its_new_counter(metered, sim, clock):
    from quota.router_state import user_converge

    user, ip = metered
    run_flow(sim, ip, 50)
    usage_cycle(now=clock)  # 50 MB
    sim.menu(QUEUES).remove(queue_row(sim, user)[".id"])
    user_converge(user.pk)  # the reconciler puts it back with a new .id and zero counters
    run_flow(sim, ip, 7)
    report = usage_cycle(now=clock)
    assert report.resets == 1
    assert used(user) == 57_000_000


def test_counter_that_went_down_counts_the_new_value(metered, sim, clock):
    user, ip = metered
    run_flow(sim, ip, 40)
    usage_cycle(now=clock)  # 40 MB
    sim.menu(QUEUES).set(queue_row(sim, user)[".id"], {"bytes": "0/0"})  # someone ran reset-counters
    run_flow(sim, ip, 3)
    usage_cycle(now=clock)
    assert used(user) == 43_000_000


def test_a_replayed_snapshot_adds_nothing(metered, sim, clock):
    user, ip = metered
    run_flow(sim, ip, 30)
    snapshots, _ = snapshots_read(now=clock)
    snapshots_apply(snapshots, now=clock())
    again = snapshots_apply(snapshots, now=clock())
    CounterSample.objects.all().delete()  # even with the baseline lost, the idempotency keys hold
    lost_baseline = snapshots_apply(snapshots, now=clock())

    assert again.entries == 0 and lost_baseline.entries == 0
    assert used(user) == 30_000_000
    assert QuotaEntry.objects.filter(user=user, kind="usage").count() == 1


def test_router_down_during_a_cycle_loses_no_usage(metered, sim, clock):
    user, ip = metered
    sim.start_flow(ip, 8 * MBPS, seconds=120)
    sim.advance(60)
    sim.inject("/queue/simple/print", drop=True)
    down = usage_cycle(now=clock)
    sim.advance(60)
    usage_cycle(now=clock)

    assert [name for name, _ in down.routers_failed] == ["lab"] and used(user) == 120_000_000


def test_impossible_delta_is_rejected_and_reported(metered, sim, clock, settings):
    user, ip = metered
    run_flow(sim, ip, 10)
    settings.LINK_RATE_BPS = 1 * MBPS  # a delta of 10 MB in 10 s cannot come through a 1 Mbit/s link
    report = usage_cycle(now=clock)

    assert len(report.rejected) == 1 and used(user) == 0
    assert AuditEntry.objects.filter(action="usage.reject", target_user=user).exists()


def test_unlimited_usage_is_recorded_without_touching_quota_or_status(resident, sim, clock):
    from quota.selectors import access_status_of

    user, ip = resident(quota_bytes=100 * MIB, unlimited=True)
    usage_cycle(now=clock)
    run_flow(sim, ip, 200)  # 200 MB, twice the quota
    report = usage_cycle(now=clock)

    balance = QuotaBalance.objects.get(user=user)
    assert report.unlimited_bytes == 200_000_000 and DailyUsage.objects.get(user=user).bytes == 200_000_000
    assert balance.used_bytes == 0 and access_status_of(user, balance) == "ok"
    assert not QuotaEntry.objects.filter(user=user, kind="usage").exists()


def _queries_of_a_cycle(sim, clock, user_ids):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quota.tests.usage_bulk import plant_traffic

    plant_traffic(sim, user_ids, 1_000_000)
    sim.advance(60)
    with CaptureQueriesContext(connection) as queries:
        report = usage_cycle(now=clock)
    assert report.entries == len(user_ids) and report.usage_bytes == 1_000_000 * len(user_ids)
    return len(queries)


def test_sql_of_a_cycle_does_not_grow_with_users(router, sim, clock):
    from quota.tests.usage_bulk import bulk_residents

    few = bulk_residents(sim, 10)
    usage_cycle(now=clock)
    with_10 = _queries_of_a_cycle(sim, clock, few)
    many = few + bulk_residents(sim, 290)
    usage_cycle(now=clock)
    with_300 = _queries_of_a_cycle(sim, clock, many)
    assert with_10 == with_300


def test_with_two_routers_one_down_the_other_is_counted_and_the_down_one_catches_up(resident, sim, clock):
    from quota.router_state import full_reconcile
    from quota.tests.usage_support import SIM_PASSWORD, SIM_USER
    from routeros_sim import RouterSimulator
    from routers.models import Router

    user, ip = resident(quota_bytes=10 * GIB)
    with RouterSimulator(username=SIM_USER, password=SIM_PASSWORD) as other:
        Router.objects.create(
            name="lab2", host="127.0.0.1", port=other.port, username=SIM_USER, password=SIM_PASSWORD
        )
        full_reconcile()
        usage_cycle(now=clock)
        for router_sim in (sim, other):
            router_sim.start_flow(ip, 8 * MBPS)  # 1,000,000 bytes a second through each router
            router_sim.advance(60)
        other.inject("/queue/simple/print", drop=True)
        down = usage_cycle(now=clock)
        counted_while_down = used(user)
        for router_sim in (sim, other):
            router_sim.advance(60)
        back = usage_cycle(now=clock)

    assert [name for name, _ in down.routers_failed] == ["lab2"] and counted_while_down == 60_000_000
    assert back.routers_failed == [] and used(user) == 240_000_000
