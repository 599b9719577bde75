"""Many sites, many routers: each router holds its own site's residents, moves follow in one converge,
one writer per router, and a router that answers nothing delays only itself."""

import io
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import AuditEntry, Block, Device, Room
from accounts.services import block_move
from core.units import GIB
from quota.metering.cycles import usage_cycle
from quota.router_state import desired_state, full_reconcile, user_converge
from quota.tasks import router_reconcile_one_task
from routeros_sim import RouterSimulator
from routers.models import Router
from routers.tests.fixtures import SIM_PASSWORD, SIM_USER
from routers.tests.helpers import BINDINGS, LISTS, QUEUES, managed, queues
from sites.models import Site

pytestmark = pytest.mark.usefixtures("fast_router_settings")

# Both institutions use the same private subnet behind their own router.
SHARED_SUBNET = "172.16.2.0/23"


@pytest.fixture
def two_sites(db):
    lapas = Site.objects.create(
        name="Lapas A",
        code="LPS-A",
        time_zone="Asia/Makassar",
        client_cidrs=SHARED_SUBNET,
        login_hosts="a.arpa",
    )
    rutan = Site.objects.create(
        name="Rutan B",
        code="RTN-B",
        time_zone="Asia/Jakarta",
        client_cidrs=SHARED_SUBNET,
        login_hosts="b.arpa",
    )
    return lapas, rutan


@pytest.fixture
def two_routers(two_sites):
    lapas, rutan = two_sites
    with (
        RouterSimulator(username=SIM_USER, password=SIM_PASSWORD, identity="router-a") as sim_a,
        RouterSimulator(username=SIM_USER, password=SIM_PASSWORD, identity="router-b") as sim_b,
    ):
        router_a = Router.objects.create(
            site=lapas, name="a", host="127.0.0.1", port=sim_a.port, username=SIM_USER, password=SIM_PASSWORD
        )
        router_b = Router.objects.create(
            site=rutan, name="b", host="127.0.0.1", port=sim_b.port, username=SIM_USER, password=SIM_PASSWORD
        )
        yield (router_a, sim_a), (router_b, sim_b)


def _resident_at(make_user, site, n, *, ip):
    block, _ = Block.objects.get_or_create(site=site, name="A")  # the same block name at both sites
    room, _ = Room.objects.get_or_create(block=block, name="1")
    user = make_user(quota_bytes=5 * GIB, room=room, block=block)
    Device.objects.create(user=user, mac=f"AC:DE:48:00:0{site.pk % 10}:{n:02X}", last_ip=ip)
    return user


@pytest.fixture
def residents(make_user, two_sites):
    lapas, rutan = two_sites
    at_a = [_resident_at(make_user, lapas, n, ip=f"172.16.2.{10 + n}") for n in range(3)]
    at_b = [_resident_at(make_user, rutan, n, ip=f"172.16.2.{10 + n}") for n in range(2)]  # same IPs as at A
    return at_a, at_b


def _queue_users(sim):
    return {int(name.removeprefix("lps-u")) for name in queues(sim)}


def test_each_router_holds_only_the_residents_of_its_own_site(two_routers, residents):
    (_, sim_a), (_, sim_b) = two_routers
    at_a, at_b = residents

    results = full_reconcile()

    assert all(result.ok for result in results)
    assert _queue_users(sim_a) == {user.pk for user in at_a}
    assert _queue_users(sim_b) == {user.pk for user in at_b}
    assert len(managed(sim_a, BINDINGS)) == 3 and len(managed(sim_b, BINDINGS)) == 2
    # Overlapping subnets: 172.16.2.10 is a different resident on each router.
    [a_entry] = [row for row in managed(sim_a, LISTS) if row["address"] == "172.16.2.10"]
    [b_entry] = [row for row in managed(sim_b, LISTS) if row["address"] == "172.16.2.10"]
    assert f"u={at_a[0].pk}:" in a_entry["comment"] and f"u={at_b[0].pk}:" in b_entry["comment"]


def test_a_targeted_converge_touches_the_residents_site_and_removes_nothing_elsewhere(two_routers, residents):
    (_, sim_a), (_, sim_b) = two_routers
    at_a, _ = residents
    full_reconcile()
    sim_a.clear_log()
    sim_b.clear_log()

    user_converge(at_a[0].pk)

    assert _queue_users(sim_a) == {user.pk for user in at_a}
    assert not sim_a.writes() and not sim_b.writes()  # converged already: reads only, on both


def test_moving_a_block_moves_its_residents_entries_in_one_converge(
    two_sites, two_routers, residents, staff, django_capture_on_commit_callbacks
):
    (_, sim_a), (_, sim_b) = two_routers
    at_a, at_b = residents
    _, rutan = two_sites
    Device.objects.filter(user__in=at_b).update(last_ip=None)  # distinct addresses once on one router
    for n, device in enumerate(Device.objects.filter(user__in=at_b)):
        Device.objects.filter(pk=device.pk).update(last_ip=f"172.16.3.{10 + n}")
    full_reconcile()
    block_a = at_a[0].block
    Block.objects.filter(site=rutan).update(name="B")  # so the moved block's name is free at Rutan B

    with django_capture_on_commit_callbacks(execute=True):  # the targeted converges, as a worker would
        block_move(block=block_a, site=rutan, actor=staff)

    assert _queue_users(sim_a) == set()
    assert _queue_users(sim_b) == {user.pk for user in at_a + at_b}
    assert AuditEntry.objects.filter(action="block.move", actor=staff).count() == 1
    # Nothing left to do on either router.
    assert [(result.router, result.drift) for result in full_reconcile(dry_run=True)] == [("a", 0), ("b", 0)]


def test_a_block_cannot_move_to_a_site_without_a_router(make_user, two_sites, staff):
    lapas, rutan = two_sites
    resident = _resident_at(make_user, lapas, 1, ip="172.16.2.20")

    with pytest.raises(ValidationError) as refused:
        block_move(block=resident.block, site=rutan, actor=staff)

    assert "belum punya router yang aktif" in refused.value.messages[0]
    resident.block.refresh_from_db()
    assert resident.block.site == lapas and not AuditEntry.objects.filter(action="block.move").exists()


def test_a_usage_cycle_of_one_router_counts_only_what_that_router_carried(two_routers, residents):
    (router_a, sim_a), (_, sim_b) = two_routers
    at_a, at_b = residents
    full_reconcile()
    usage_cycle(router=router_a)  # first samples
    for sim, user in ((sim_a, at_a[0]), (sim_b, at_b[0])):
        [queue] = [row for row in managed(sim, QUEUES) if row["name"] == f"lps-u{user.pk}"]
        sim.menu(QUEUES).set(queue[".id"], {"bytes": "1000/2000000"})

    report = usage_cycle(router=router_a)

    assert report.routers_read == 1 and report.entries == 1 and report.usage_bytes == 2_001_000
    at_a[0].balance.refresh_from_db()
    at_b[0].balance.refresh_from_db()
    assert at_a[0].balance.used_bytes == 2_001_000 and at_b[0].balance.used_bytes == 0


@pytest.mark.django_db(transaction=True)
def test_a_targeted_converge_racing_a_full_reconcile_leaves_exactly_the_desired_state(make_user, room, sim):
    router = Router.objects.create(
        name="lab", host="127.0.0.1", port=sim.port, username=SIM_USER, password=SIM_PASSWORD
    )
    users = [make_user(quota_bytes=GIB) for _ in range(20)]
    for n, user in enumerate(users):
        Device.objects.create(user=user, mac=f"AC:DE:48:00:03:{n:02X}", last_ip=f"172.16.2.{50 + n}")
    errors = []

    def run(work):
        try:
            work()
        except Exception as exc:  # reported below, with the round
            errors.append(exc)
        finally:
            connection.close()

    for round_ in range(8):
        # Each round starts from an empty router, so both runs have entries to add at the same time.
        for menu in (BINDINGS, LISTS, QUEUES):
            for row in managed(sim, menu):
                sim.menu(menu).remove(row[".id"])
        threads = [
            threading.Thread(target=run, args=(lambda: full_reconcile(router),)),
            threading.Thread(target=run, args=(lambda u=users[round_]: user_converge(u.pk),)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, (round_, errors)
        assert len(managed(sim, BINDINGS)) == 20, round_  # no duplicate, none missing
        assert len(managed(sim, QUEUES)) == 20 and len(managed(sim, LISTS)) == 20, round_
        assert all(result.ok and not result.drift for result in full_reconcile(router, dry_run=True)), round_


@pytest.fixture
def blackhole():
    """A port that accepts TCP connections (the kernel's backlog) but never answers a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_router_that_answers_nothing_does_not_hold_up_another_routers_reconcile(
    two_sites, residents, blackhole, settings
):
    lapas, rutan = two_sites
    settings.MIKROTIK_TIMEOUT_S = 2.0
    settings.MIKROTIK_CONNECT_ATTEMPTS = 1
    with RouterSimulator(username=SIM_USER, password=SIM_PASSWORD) as sim_b:
        dead = Router.objects.create(
            site=lapas,
            name="dead",
            host="127.0.0.1",
            port=blackhole,
            username=SIM_USER,
            password=SIM_PASSWORD,
        )
        alive = Router.objects.create(
            site=rutan,
            name="alive",
            host="127.0.0.1",
            port=sim_b.port,
            username=SIM_USER,
            password=SIM_PASSWORD,
        )
        outcome = {}

        def reconcile_dead():
            outcome["dead"] = router_reconcile_one_task(dead.pk)
            connection.close()

        waiting = threading.Thread(target=reconcile_dead)
        waiting.start()
        alive_summary = router_reconcile_one_task(alive.pk)  # a second worker takes the other router
        still_waiting = waiting.is_alive()
        waiting.join()

    assert "FAILED" not in alive_summary and len(managed(sim_b, BINDINGS)) == 2
    assert still_waiting  # the live router was done while the dead one was still within its timeout
    assert "FAILED" in outcome["dead"]
    dead.refresh_from_db()
    assert dead.last_error and dead.pending_changes == 0


def test_the_desired_state_of_a_site_has_its_members_and_staff_devices_only(two_sites, residents, staff):
    lapas, _ = two_sites
    at_a, _ = residents
    Device.objects.create(user=staff, mac="AC:DE:48:00:09:99", last_ip="172.16.3.9")

    at_lapas = {entry.tag.split(":")[1] for entry in desired_state(site_id=lapas.pk).list_entries}

    assert at_lapas == {f"u={user.pk}" for user in [*at_a, staff]}


def test_the_router_commands_take_a_site_or_a_router(two_routers, residents):
    (_, sim_a), (_, sim_b) = two_routers

    out = io.StringIO()
    call_command("router_sync", "--site", "lps-a", stdout=out)  # the code, in any case

    assert out.getvalue().startswith("a: ") and "b: " not in out.getvalue()
    assert managed(sim_a, BINDINGS) and not managed(sim_b, BINDINGS)
    out = io.StringIO()
    call_command("router_check", "--router", "b", stdout=out)
    assert out.getvalue().startswith("b ") and "drift=" in out.getvalue()
    for command, args, error in (
        ("router_sync", ["--site", "NOPE"], "no site with code or name 'NOPE'"),
        ("usage_sync", ["--router", "zz"], "no router named 'zz'"),
        ("router_check", ["--site", "RTN-B", "--router", "a"], "router 'a' does not belong to site 'RTN-B'"),
    ):
        with pytest.raises(CommandError, match=error):
            call_command(command, *args, stdout=io.StringIO())
