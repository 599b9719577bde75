"""Router fixtures: a RouterOS simulator over TCP and a Router row pointing at it."""

import socket

import pytest

from routeros_sim import RouterSimulator

SIM_USER, SIM_PASSWORD = "api-lps", "s3cret-pass"


@pytest.fixture
def fast_router_settings(settings):
    """Short timeouts and backoff, no router from the environment. Not autouse: the simulator's own tests
    run without Django."""
    settings.MIKROTIK_RETRY_BACKOFF_S = 0.01
    settings.MIKROTIK_TIMEOUT_S = 3.0
    settings.MIKROTIK_QUICK_TIMEOUT_S = 1.0
    settings.MIKROTIK_HOST = ""


@pytest.fixture
def sim():
    """A simulator answering as the latest RouterOS it models."""
    with RouterSimulator(username=SIM_USER, password=SIM_PASSWORD, identity="lab-router") as simulator:
        yield simulator


@pytest.fixture
def router(db, sim):
    from routers.models import Router

    return Router.objects.create(
        name="lab", host="127.0.0.1", port=sim.port, username=SIM_USER, password=SIM_PASSWORD
    )


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the targeted converge) as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
