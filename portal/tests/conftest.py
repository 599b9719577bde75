"""Fixtures of the captive-portal tests: the Turnstile fake, the RouterOS simulator, a hotspot client."""

import pytest
from django.core.cache import cache

from core.testing.turnstile_fake import DUMMY_TOKEN, PASS_SECRET, TurnstileFake

SIM_USER, SIM_PASSWORD = "lps", "sim-pass"


def demo_mac(i: int) -> str:
    return f"AC:DE:48:00:00:{i:02X}"


def demo_ip(i: int) -> str:
    return f"172.16.2.{100 + i}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Counters are per test; delete_pattern keeps to this run's key prefix (other runs share Redis)."""
    cache.delete_pattern("*")
    yield
    cache.delete_pattern("*")


@pytest.fixture(scope="session")
def turnstile_server():
    fake = TurnstileFake().start()
    yield fake
    fake.stop()


@pytest.fixture
def turnstile(turnstile_server, settings):
    settings.TURNSTILE_VERIFY_URL = turnstile_server.verify_url
    settings.TURNSTILE_SECRET_KEY = PASS_SECRET
    settings.TURNSTILE_SITE_KEY = "1x00000000000000000000AA"
    turnstile_server.requests.clear()
    return turnstile_server


@pytest.fixture
def router_sim(db, settings):
    """A simulated router holding 20 hotspot hosts (MAC AC:DE:48:00:00:0i, IP 172.16.2.(100+i))."""
    from routeros_sim import RouterSimulator
    from routers.models import Router

    settings.MIKROTIK_HOST = ""
    sim = RouterSimulator(username=SIM_USER, password=SIM_PASSWORD).start()
    hosts = sim.menu("/ip/hotspot/host")
    for i in range(1, 21):
        hosts.add({"mac-address": demo_mac(i), "address": demo_ip(i)}, dynamic=True)
    Router.objects.create(
        name="sim", host="127.0.0.1", port=sim.port, username=SIM_USER, password=SIM_PASSWORD
    )
    yield sim
    sim.stop()


@pytest.fixture
def portal_client(client, router_sim, turnstile):
    """A browser that arrived from the hotspot redirect of device 15."""

    def arrive(i: int = 15, mac: str | None = None, **extra):
        params = {
            "ip": demo_ip(i),
            "mac": mac if mac is not None else demo_mac(i),
            "link-login-only": "http://login.home.arpa/login",
            **extra,
        }
        return client.get("/captive/", params)

    client.arrive = arrive
    return client


def request_code(client, phone: str, token: str = DUMMY_TOKEN, **meta):
    return client.post("/captive/masuk/", {"phone": phone, "cf-turnstile-response": token}, **meta)


def code_from(outbox, phone: str) -> str:
    import re

    texts = [m["text"] for m in outbox if m["phone"] == phone]
    assert texts, f"no message to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
