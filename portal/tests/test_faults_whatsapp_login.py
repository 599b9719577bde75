"""A login code requested while WhatsApp cannot be reached: "tidak dapat mengirim kode", and the request
counts against neither the resident's rate limit nor the cooldown."""

import pytest

from accounts.models import OtpCode
from core.testing.fonnte_fake import FonnteFake
from portal.tests.conftest import request_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


@pytest.fixture
def fonnte(settings):
    fake = FonnteFake(token="tok-login").start()
    settings.WHATSAPP_BACKEND = "fonnte"
    settings.FONNTE_URL = fake.send_url
    settings.FONNTE_TOKEN = "tok-login"
    yield fake
    fake.stop()


def test_while_whatsapp_is_down_a_code_request_says_so_and_costs_nothing(
    portal_client, make_user, fonnte, settings
):
    portal_client.arrive(15)
    resident = make_user()
    settings.OTP_RATE_PER_PHONE = "2/15m"
    fonnte.device_connected = False
    assert request_code(portal_client, resident.phone).status_code == 302  # the send fails: detected
    assert OtpCode.objects.filter(user=resident).count() == 1
    for _ in range(5):
        response = request_code(portal_client, resident.phone)
        assert response.status_code == 503
        assert "tidak dapat mengirim kode" in response.content.decode()
    assert OtpCode.objects.filter(user=resident).count() == 1
    fonnte.device_connected = True
    settings.WHATSAPP_PROBE_AFTER_S = 0  # the gateway is tried again
    settings.OTP_RESEND_COOLDOWN_S = 0
    assert request_code(portal_client, resident.phone).status_code == 302
    assert OtpCode.objects.filter(user=resident).count() == 2
    assert len(fonnte.sent) == 1
