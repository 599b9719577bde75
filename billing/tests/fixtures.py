"""Billing fixtures every app's tests may use (loaded by the root conftest): the Midtrans fake, packages,
a pending order and the whole app on a loopback port.

Models are imported inside the fixtures: the root conftest loads this module before Django is set up, and
also for the simulator's own tests, which run without Django."""

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from core.units import GIB


@pytest.fixture
def midtrans_fake(settings):
    """A Midtrans fake on loopback, with the settings pointing at it."""
    from billing.testing import MidtransFake  # Django is set up by now (see the module's docstring)

    fake = MidtransFake(server_key=settings.MIDTRANS_SERVER_KEY).start()
    settings.MIDTRANS_SNAP_BASE_URL = fake.snap_base_url
    settings.MIDTRANS_API_BASE_URL = fake.base_url
    settings.MIDTRANS_TIMEOUT_S = 5
    yield fake
    fake.stop()


@pytest.fixture
def package(db):
    from billing.models import Package  # Django is set up by now (see the module's docstring)

    return Package.objects.create(name="Paket 5 GB", price=25000, quota_bytes=5 * GIB, validity_days=30)


@pytest.fixture
def unlimited_package(db):
    from billing.models import Package  # Django is set up by now (see the module's docstring)

    return Package.objects.create(
        name="Paket Unlimited", price=100000, quota_bytes=0, validity_days=7, rate_tier="premium"
    )


@pytest.fixture
def resident(make_user):
    return make_user()


@pytest.fixture
def started(midtrans_fake, resident, package):
    """A pending transaction created through Snap (the fake), as a resident's purchase would."""
    from billing.services import transaction_start

    return transaction_start(user=resident, package=package)


class _WideBacklogServer(ThreadedWSGIServer):
    # Django's default listen backlog (10) resets connections when 50 notifications arrive at once;
    # a production server (gunicorn, nginx) queues them instead.
    request_queue_size = 128


class _ServerThread(LiveServerThread):
    server_class = _WideBacklogServer


@pytest.fixture
def http_server(transactional_db):
    """The whole Django app on a loopback port, a thread per request; yields its base URL."""
    thread = _ServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
