"""Broadcasts through Fonnte: previewed, frozen, sent within the rate, resumable without sending twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import Block, Room, User
from core.testing.fonnte_fake import FonnteFake
from core.units import GIB
from quota.broadcast import (
    broadcast_create,
    broadcast_recipients,
    broadcast_report,
    broadcast_send_batch,
    broadcast_tick,
)
from quota.models import Broadcast, BroadcastRecipient

T0 = datetime(2026, 2, 10, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.fixture
def fonnte(settings):
    fake = FonnteFake(token="tok-bc").start()
    settings.WHATSAPP_BACKEND = "fonnte"
    settings.FONNTE_URL = fake.send_url
    settings.FONNTE_TOKEN = "tok-bc"
    yield fake
    fake.stop()


@pytest.fixture
def five_hundred(room):
    User.objects.bulk_create(
        User(
            phone=f"+62822{n:08d}",
            full_name=f"Warga {n}",
            room=room,
            block=room.block,
            approval_status=User.Approval.APPROVED,
        )
        for n in range(500)
    )


def _max_in_a_minute(times) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 60) for i, start in enumerate(times))


def test_five_hundred_messages_interrupted_halfway_send_each_once_within_the_rate(
    five_hundred, fonnte, staff
):
    with time_machine.travel(T0, tick=False) as clock:
        broadcast = broadcast_create(text="Pemadaman listrik jam 14.00", audience="all", actor=staff)
        assert broadcast.recipients.count() == 500
        assert broadcast_tick() == "sent 120 broadcast message(s)"  # the minute's budget, no more
        clock.shift(61)
        broadcast_tick()
        clock.shift(61)
        broadcast_send_batch(broadcast=broadcast, limit=10)  # ... and the worker dies here: 250 sent
        assert len(fonnte.sent) == 250

        # The restarted worker, 30 s later: only what is left of this minute's budget.
        clock.shift(30)
        assert broadcast_tick() == "sent 110 broadcast message(s)"
        for _minute in range(10):
            clock.shift(60)
            broadcast_tick()

    targets = [m["target"] for m in fonnte.sent]
    assert len(targets) == 500 and len(set(targets)) == 500  # each once
    assert _max_in_a_minute(fonnte.sent_at) <= 120
    broadcast.refresh_from_db()
    assert broadcast.finished_at is not None
    assert broadcast_report(broadcast) == {
        "total": 500,
        "delivered": 500,
        "failed": 0,
        "unknown": 0,
        "waiting": 0,
    }


def test_at_most_three_messages_per_number_a_minute(make_user, staff, outbox):
    make_user(quota_bytes=GIB)
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(4):
            broadcast_create(text=f"Pengumuman {n}", audience="all", actor=staff)
        broadcast_tick()
        assert len(outbox) == 3
        clock.shift(61)
        broadcast_tick()
    assert len(outbox) == 4


def test_recipients_by_block_and_status(make_user, room):
    habis = make_user(quota_bytes=0)
    ok = make_user(quota_bytes=GIB)
    other = Room.objects.create(block=Block.objects.create(name="B"), name="2")
    elsewhere = make_user(room=other, block=other.block)
    assert {u.pk for u in broadcast_recipients(audience="block", value=str(room.block_id))} == {
        habis.pk,
        ok.pk,
    }
    assert [u.pk for u in broadcast_recipients(audience="status", value="habis")] == [habis.pk, elsewhere.pk]
    assert [u.pk for u in broadcast_recipients(audience="status", value="ok")] == [ok.pk]


@pytest.mark.parametrize(
    ("text", "audience", "value", "code"),
    [
        ("", "all", "", "empty"),
        ("   ", "all", "", "empty"),
        ("Halo", "block", "999999", "nobody"),
        ("Halo", "status", "nonsense", "status"),
        ("Halo", "block", "abc", "audience"),
        ("Halo", "planet", "", "audience"),
    ],
)
def test_a_broadcast_with_no_text_or_nobody_is_refused_and_changes_nothing(
    make_user, staff, text, audience, value, code
):
    make_user(quota_bytes=GIB)
    with pytest.raises(ValidationError) as refused:
        broadcast_create(text=text, audience=audience, value=value, actor=staff)
    assert refused.value.code == code
    assert not Broadcast.objects.exists() and not BroadcastRecipient.objects.exists()
