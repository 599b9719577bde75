"""One router, one IP: residents reach the server through the router's NAT, so the captive limits are kept
per device (the MAC the router vouches for) and per number, not per IP."""

import pytest
from django.test import Client

from accounts.models import OtpCode
from portal.tests.conftest import request_code

pytestmark = pytest.mark.django_db(transaction=True)


def mac(i: int) -> str:
    return f"AC:DE:48:00:01:{i:02X}"


def ip(i: int) -> str:
    return f"172.16.3.{i}"


@pytest.fixture
def block(router_sim, turnstile):
    """A whole block of 200 devices on the hotspot, all reaching the server from one address."""
    hosts = router_sim.menu("/ip/hotspot/host")
    for i in range(1, 201):
        hosts.add({"mac-address": mac(i), "address": ip(i)}, dynamic=True)

    def arrive(i: int) -> Client:
        browser = Client()  # every request comes from REMOTE_ADDR 127.0.0.1: the router's NAT
        page = browser.get(
            "/captive/", {"ip": ip(i), "mac": mac(i), "link-login-only": "http://login.home.arpa/login"}
        )
        assert page.status_code == 200
        return browser

    return arrive


def test_two_hundred_residents_behind_one_ip_each_get_their_code(block, make_user, outbox):
    residents = [make_user() for _ in range(200)]
    statuses = [request_code(block(i), resident.phone).status_code for i, resident in enumerate(residents, 1)]

    assert statuses == [302] * 200
    assert {m["phone"] for m in outbox} == {r.phone for r in residents}
    assert OtpCode.objects.count() == 200


def test_one_device_hammering_is_limited_alone(block, make_user, outbox, settings):
    settings.OTP_RATE_PER_IP = "10/15m"
    hammer = block(1)
    statuses = [request_code(hammer, make_user().phone).status_code for _ in range(15)]
    assert statuses == [302] * 10 + [429] * 5

    neighbour = make_user()
    assert request_code(block(2), neighbour.phone).status_code == 302
    assert [m["phone"] for m in outbox].count(neighbour.phone) == 1
