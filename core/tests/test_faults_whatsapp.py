"""The WhatsApp gateway down: messages wait in the outbox with backoff and go out once when it returns;
a login code request in the meantime says "tidak dapat mengirim kode" and costs nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from core.models import WhatsAppMessage
from core.testing.fonnte_fake import FonnteFake
from core.whatsapp import outbox, send_after_commit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


@pytest.fixture
def fonnte(settings):
    fake = FonnteFake(token="tok-fault").start()
    settings.WHATSAPP_BACKEND = "fonnte"
    settings.FONNTE_URL = fake.send_url
    settings.FONNTE_TOKEN = "tok-fault"
    yield fake
    fake.stop()


def test_a_receipt_waits_while_the_gateway_is_down_and_goes_out_once_when_it_returns(fonnte):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fonnte.device_connected = False
        with transaction.atomic():
            send_after_commit(phone="+6281234567890", text="Pembayaran diterima")
        message = WhatsAppMessage.objects.get()
        assert message.status == WhatsAppMessage.Status.PENDING and message.attempts == 1
        assert outbox.gateway_down()
        assert outbox.outbox_drain() == 0  # not due yet: the backoff holds it
        clock.shift(timedelta(seconds=31))
        assert outbox.outbox_drain() == 0
        message.refresh_from_db()
        assert message.attempts == 2 and message.next_attempt_at - timezone.now() == timedelta(seconds=60)
        fonnte.device_connected = True
        clock.shift(timedelta(seconds=61))
        assert outbox.outbox_drain() == 1
        clock.shift(timedelta(hours=1))
        assert outbox.outbox_drain() == 0
    assert [m["message"] for m in fonnte.sent] == ["Pembayaran diterima"]
    assert WhatsAppMessage.objects.get().status == WhatsAppMessage.Status.SENT
    assert not outbox.gateway_down()


def test_a_rolled_back_transaction_queues_no_message(fonnte):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit(phone="+6281234567890", text="tidak pernah")
        raise RuntimeError
    assert not WhatsAppMessage.objects.exists() and fonnte.sent == []


def test_a_login_code_is_dropped_rather_than_sent_after_it_expired(fonnte):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fonnte.device_connected = False
        send_after_commit(phone="+6281234567890", text="Kode 123456", discard_after_s=300)
        fonnte.device_connected = True
        clock.shift(timedelta(minutes=10))
        assert outbox.outbox_drain() == 0
    expired = WhatsAppMessage.objects.get()
    assert expired.status == WhatsAppMessage.Status.EXPIRED and expired.text == "" and fonnte.sent == []


def test_a_login_code_is_not_kept_in_clear_once_sent_and_old_messages_are_forgotten(fonnte):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        send_after_commit(phone="+6281234567890", text="Kode 654321", discard_after_s=300)
        send_after_commit(phone="+6281234567890", text="Pemberitahuan")
        assert sorted(WhatsAppMessage.objects.values_list("text", flat=True)) == ["", "Pemberitahuan"]
        clock.shift(timedelta(days=outbox.KEEP_DAYS + 1))
        outbox.outbox_drain()
    assert not WhatsAppMessage.objects.exists()


@pytest.mark.parametrize("attempts,wait", [(1, 30), (2, 60), (3, 120), (6, 900), (20, 900)])
def test_the_backoff_grows_and_is_capped(attempts, wait):
    assert outbox.backoff_seconds(attempts) == wait


def test_a_message_queued_while_the_task_broker_is_down_waits_for_the_drain_and_goes_out_once(
    fonnte, monkeypatch
):
    def broker_down(*args, **kwargs):  # what django-q2's Redis broker raises with Redis stopped
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(outbox, "async_task", broker_down)
    with transaction.atomic():
        send_after_commit(phone="+6281234567890", text="Kuota ditambahkan")  # the commit does not fail
    assert WhatsAppMessage.objects.get().status == WhatsAppMessage.Status.PENDING and fonnte.sent == []
    assert outbox.outbox_drain() == 1
    assert outbox.outbox_drain() == 0
    assert [m["message"] for m in fonnte.sent] == ["Kuota ditambahkan"]
