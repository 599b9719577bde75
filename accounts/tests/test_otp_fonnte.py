"""core/whatsapp/fonnte.py against the loopback Fonnte fake (HTTP 200 with status true/false)."""

import pytest

from core import whatsapp
from core.testing.fonnte_fake import FonnteFake


@pytest.fixture
def fonnte(settings):
    fake = FonnteFake(token="tok-123").start()
    settings.WHATSAPP_BACKEND = "fonnte"
    settings.FONNTE_URL = fake.send_url
    settings.FONNTE_TOKEN = "tok-123"
    yield fake
    fake.stop()


def test_a_code_goes_out_as_a_local_number_with_the_raw_token(fonnte):
    result = whatsapp.send_message(phone="+6281234567890", text="Kode 123456")
    assert result.ok and result.provider_id == "142223099"
    request = fonnte.requests[-1]
    assert request["headers"]["authorization"] == "tok-123"
    assert request["form"]["target"] == "081234567890"
    assert fonnte.sent == [{"target": "6281234567890", "message": "Kode 123456"}]


def test_a_bad_token_is_a_failure_although_fonnte_answers_200(fonnte, settings):
    settings.FONNTE_TOKEN = "wrong"
    result = whatsapp.send_message(phone="+6281234567890", text="x")
    assert not result.ok and result.detail == "invalid token"
    assert fonnte.sent == []


def test_a_disconnected_device_is_a_failure(fonnte):
    fonnte.device_connected = False
    assert whatsapp.send_message(phone="+6281234567890", text="x").detail == "invalid device"


def test_an_unreachable_fonnte_is_reported_not_raised(settings):
    settings.WHATSAPP_BACKEND = "fonnte"
    settings.FONNTE_URL = "http://127.0.0.1:9/send"
    assert whatsapp.send_message(phone="+6281234567890", text="x").ok is False
