"""Fixtures for the usage and guard tests: a simulator over TCP, a Router row, a resident with a device,
and a clock that follows the simulator's, so the cycles' boot marker stays still while time is stepped."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Device
from routeros_sim import RouterSimulator

SIM_USER, SIM_PASSWORD = "api-lps", "s3cret-pass"
QUEUES = "/queue/simple"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def sim():
    with RouterSimulator(username=SIM_USER, password=SIM_PASSWORD) as simulator:
        yield simulator


@pytest.fixture
def router(db, sim, settings):
    from routers.models import Router

    settings.MIKROTIK_RETRY_BACKOFF_S = 0.01
    settings.MIKROTIK_TIMEOUT_S = 3.0
    settings.MIKROTIK_QUICK_TIMEOUT_S = 1.0
    settings.MIKROTIK_CONNECT_ATTEMPTS = 1
    settings.MIKROTIK_HOST = ""
    return Router.objects.create(
        name="lab", host="127.0.0.1", port=sim.port, username=SIM_USER, password=SIM_PASSWORD
    )


@pytest.fixture
def clock(sim):
    return lambda: T0 + timedelta(seconds=sim.now())


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run the after-commit work (router converge, WhatsApp through the sync task queue) of a block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


_ips = iter(range(10, 250))


@pytest.fixture
def resident(make_user, router, after_commit):
    """resident(quota_bytes=..., **fields) -> (user, ip): a resident with one authorized device whose queue
    is on the router."""
    from quota.router_state import user_converge

    def make(**fields):
        user = make_user(**fields)
        ip = f"172.16.2.{next(_ips)}"
        Device.objects.create(user=user, mac=f"AC:DE:48:00:03:{user.pk % 256:02X}", last_ip=ip)
        user_converge(user.pk)
        return user, ip

    return make


def queue_row(sim, user):
    rows = [row for row in sim.menu(QUEUES).rows() if row.get("name") == f"lps-u{user.pk}"]
    return rows[0] if rows else None


def used(user) -> int:
    from quota.models import QuotaBalance

    return QuotaBalance.objects.get(user=user).used_bytes
