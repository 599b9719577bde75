"""Nobody gets free WhatsApp messages or escapes a rate limit: Turnstile, per-phone/IP limits, the budget."""

import re

import pytest
import time_machine
from django.utils import timezone

from accounts.models import OtpCode
from core.testing.turnstile_fake import FAIL_SECRET, SPENT_SECRET
from portal.tests.conftest import request_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_portal(portal_client):
    portal_client.arrive(15)
    return portal_client


def test_a_thousand_code_requests_for_one_number_from_many_ips_send_at_most_a_few(
    at_portal, make_user, outbox, settings
):
    resident = make_user()
    settings.OTP_RATE_PER_IP = "1000/h"
    settings.OTP_RESEND_COOLDOWN_S = 0  # the per-number limit alone must hold
    settings.TRUSTED_PROXY_CIDRS = ["127.0.0.1/32"]
    forms = ["0" + resident.phone[3:], resident.phone, resident.phone[1:]]
    statuses = set()
    # One rate-limit window throughout: the per-number limit counts per 15-minute window, and a run that
    # happened to cross a window's edge would rightly get the limit twice.
    with time_machine.travel(timezone.now().replace(minute=7, second=0), tick=False):
        for n in range(1000):
            ip = f"10.{n // 250}.{n % 250}.7"
            response = request_code(at_portal, forms[n % 3], HTTP_X_FORWARDED_FOR=ip)
            statuses.add(response.status_code)
    sent = [m for m in outbox if m["phone"] == resident.phone]
    assert 1 <= len(sent) <= 3
    assert 429 in statuses


def test_the_resend_cooldown_sends_one_message_however_often_the_button_is_pressed(
    at_portal, make_user, outbox
):
    resident = make_user()
    for _ in range(3):
        assert request_code(at_portal, resident.phone).status_code == 302
    assert len(outbox) == 1
    assert OtpCode.objects.filter(user=resident).count() == 1


@pytest.mark.parametrize("secret", [FAIL_SECRET, SPENT_SECRET])
def test_a_failed_turnstile_check_sends_nothing(at_portal, make_user, outbox, settings, secret):
    resident = make_user()
    settings.TURNSTILE_SECRET_KEY = secret
    response = request_code(at_portal, resident.phone)
    assert response.status_code == 200
    assert "Pemeriksaan keamanan gagal" in response.content.decode()
    assert outbox == []
    assert not OtpCode.objects.exists()


def test_a_missing_turnstile_token_sends_nothing_and_is_not_even_checked_remotely(
    at_portal, make_user, outbox, turnstile
):
    resident = make_user()
    response = request_code(at_portal, resident.phone, token="")
    assert "Pemeriksaan keamanan gagal" in response.content.decode()
    assert outbox == []
    assert turnstile.requests == []


def test_an_unreachable_turnstile_sends_nothing(at_portal, make_user, outbox, settings):
    resident = make_user()
    settings.TURNSTILE_VERIFY_URL = "http://127.0.0.1:9/siteverify"
    response = request_code(at_portal, resident.phone)
    assert "Pemeriksaan keamanan gagal" in response.content.decode()
    assert outbox == []


def test_unknown_pending_and_blocked_numbers_get_the_same_answer_and_cost_nothing(
    at_portal, make_user, outbox
):
    approved = make_user()
    pending = make_user(approved=False)
    blocked = make_user(is_blocked=True, blocked_reason="test")
    pages = {}
    for label, phone in [
        ("approved", approved.phone),
        ("pending", pending.phone),
        ("blocked", blocked.phone),
        ("unknown", "+6281299999999"),
    ]:
        response = request_code(at_portal, phone, follow=True)
        page = response.content.decode().replace(phone, "NUMBER")
        pages[label] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        assert response.redirect_chain[-1][0] == "/captive/kode/"
    assert pages["pending"] == pages["blocked"] == pages["unknown"] == pages["approved"]
    assert [m["phone"] for m in outbox] == [approved.phone]


def test_past_the_hourly_budget_nothing_is_sent_and_staff_are_alerted_once(
    at_portal, make_user, outbox, settings
):
    settings.OTP_HOURLY_SEND_BUDGET = 2
    settings.STAFF_ALERT_PHONES = ["+6281300000001"]
    settings.OTP_RATE_PER_IP = "1000/h"
    residents = [make_user() for _ in range(5)]
    for resident in residents:
        request_code(at_portal, resident.phone)
    codes_sent = [m for m in outbox if m["phone"] != "+6281300000001"]
    alerts = [m for m in outbox if m["phone"] == "+6281300000001"]
    assert len(codes_sent) == 2
    assert len(alerts) == 1
    page = at_portal.get("/captive/kode/").content.decode()
    assert "dihentikan sementara" in page


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_escape_the_ip_limit(
    at_portal, make_user, settings
):
    settings.OTP_RATE_PER_IP = "3/h"
    statuses = []
    for n in range(5):
        resident = make_user()
        response = request_code(
            at_portal, resident.phone, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]


def test_a_token_solved_on_another_site_sends_nothing(at_portal, make_user, outbox, settings):
    resident = make_user()
    settings.TURNSTILE_HOSTNAMES = ["wifi.lapas.example"]  # the fake answers hostname "example.com"
    response = request_code(at_portal, resident.phone)
    assert "Pemeriksaan keamanan gagal" in response.content.decode()
    assert outbox == []
    settings.TURNSTILE_HOSTNAMES = ["example.com"]
    request_code(at_portal, resident.phone)
    assert len(outbox) == 1
