"""The account lifecycle: the inactive job at its three thresholds, release (bebas) and transfer."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEntry, Block, Device, Room, User
from core.units import GIB
from quota.lifecycle import inactive_run, resident_release, resident_transfer, tombstone_phone
from quota.models import QuotaBalance, QuotaEntry
from quota.router_state import full_reconcile
from routers.tests.helpers import BINDINGS, LISTS, QUEUES, managed
from sites.models import Site

pytestmark = pytest.mark.usefixtures("fast_router_settings")

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def entries_of(sim, user):
    return [
        row
        for menu in (BINDINGS, LISTS, QUEUES)
        for row in managed(sim, menu)
        if row["comment"].startswith(f"lps:u={user.pk}:") or row["comment"] == f"lps:u={user.pk}"
    ]


@pytest.fixture
def thresholds(settings):
    settings.INACTIVE_WARN_DAYS = 30
    settings.INACTIVE_DEACTIVATE_DAYS = 45
    settings.INACTIVE_DELETE_DAYS = 90


@pytest.fixture
def residents(make_user, router):
    with time_machine.travel(T0, tick=False):
        idle = make_user(quota_bytes=GIB, days=7)  # expired long before the thresholds
        Device.objects.create(user=idle, mac="AC:DE:48:00:04:01", last_ip="172.16.2.31")
        paid_up = make_user(quota_bytes=GIB, days=400)  # idle as well, but with a future expiry
        staff = make_user(role=User.Role.ADMIN)
        full_reconcile(router)
    return idle, paid_up, staff


@pytest.fixture
def run(on_commit):
    """The job on day `day` after T0, its messages and converges sent after commit."""

    def at(day):
        with on_commit(), time_machine.travel(T0 + timedelta(days=day), tick=False):
            return inactive_run()

    return at


def test_the_inactive_job_does_one_thing_at_each_threshold(thresholds, residents, sim, outbox, run):
    idle, paid_up, staff = residents
    phone = idle.phone

    assert run(29) == {"warned": 0, "deactivated": 0, "anonymised": 0}

    assert run(31) == {"warned": 1, "deactivated": 0, "anonymised": 0}
    assert [m["phone"] for m in outbox] == [phone]
    assert run(32)["warned"] == 0  # warned once
    idle.refresh_from_db()
    assert idle.is_active and Device.objects.filter(user=idle).exists()

    assert run(46) == {"warned": 0, "deactivated": 1, "anonymised": 0}
    idle.refresh_from_db()
    assert not idle.is_active and not Device.objects.filter(user=idle).exists()
    assert entries_of(sim, idle) == []
    assert [m["phone"] for m in outbox] == [phone, phone]
    assert run(50) == {"warned": 0, "deactivated": 0, "anonymised": 0}

    ledger_before = QuotaEntry.objects.filter(user=idle).count()
    assert run(91) == {"warned": 0, "deactivated": 0, "anonymised": 1}
    idle.refresh_from_db()
    assert idle.phone == tombstone_phone(idle.pk) and phone not in idle.full_name
    assert QuotaEntry.objects.filter(user=idle).count() == ledger_before  # the books stay
    assert run(200) == {"warned": 0, "deactivated": 0, "anonymised": 0}

    for untouched in (paid_up, staff):
        untouched.refresh_from_db()
        assert untouched.is_active and not untouched.phone.startswith("x-")
    assert len(outbox) == 2


def test_the_inactive_job_is_off_by_default(residents, run):
    assert run(400) == {"warned": 0, "deactivated": 0, "anonymised": 0}


def test_a_login_after_the_warning_starts_the_count_again(thresholds, residents, run):
    idle, _paid_up, _staff = residents
    run(31)
    with time_machine.travel(T0 + timedelta(days=40), tick=False):
        AuditEntry.objects.create(actor=idle, action="user.login", target_user=idle)
    assert run(50) == {"warned": 0, "deactivated": 0, "anonymised": 0}
    assert run(71)["warned"] == 1


def test_release_removes_every_router_entry_in_one_converge(make_user, router, sim, staff, on_commit, outbox):
    alice = make_user(quota_bytes=5 * GIB)
    Device.objects.create(user=alice, mac="AC:DE:48:00:05:01", last_ip="172.16.2.41")
    Device.objects.create(user=alice, mac="AC:DE:48:00:05:02", last_ip="172.16.2.42")
    full_reconcile(router)
    assert len(entries_of(sim, alice)) == 5
    phone = alice.phone
    sim.clear_log()

    with on_commit():
        done = resident_release(user=alice, actor=staff, reason="bebas")

    assert entries_of(sim, alice) == []
    assert len([e for e in sim.log if e.verb == "print" and BINDINGS in e.command]) == 1
    assert done == {"remaining_bytes": 5 * GIB, "forfeited_bytes": 5 * GIB, "devices": 2}
    alice.refresh_from_db()
    assert not alice.is_active and alice.phone == tombstone_phone(alice.pk)
    assert QuotaBalance.objects.get(user=alice).remaining_bytes == 0
    assert [m["phone"] for m in outbox] == [phone]
    # The phone is free for a new registration later.
    again = make_user(phone=phone)
    assert again.pk != alice.pk


def test_release_with_the_keep_policy_leaves_the_quota(make_user, staff, settings):
    settings.RELEASE_QUOTA_POLICY = "keep"
    alice = make_user(quota_bytes=2 * GIB)
    done = resident_release(user=alice, actor=staff)
    assert done["remaining_bytes"] == 2 * GIB and done["forfeited_bytes"] == 0


def test_transfer_moves_the_resident_and_their_router_state(make_user, router, sim, staff, on_commit):
    alice = make_user(quota_bytes=GIB)
    Device.objects.create(user=alice, mac="AC:DE:48:00:06:01", last_ip="172.16.2.51")
    full_reconcile(router)
    other = Site.objects.create(
        name="Lain", code="LAIN", time_zone="Asia/Makassar", client_cidrs="10.8.0.0/16"
    )
    room = Room.objects.create(block=Block.objects.create(name="Z", site=other), name="9")

    with on_commit():
        resident_transfer(user=alice, actor=staff, room=room)

    alice.refresh_from_db()
    assert alice.room == room and alice.block == room.block
    assert entries_of(sim, alice) == []  # the lab router serves the default site only
    with pytest.raises(ValidationError):
        resident_transfer(user=alice, actor=staff, room=room)
