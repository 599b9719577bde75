"""Shared fixtures. Tests run on PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and loopback fakes."""

import itertools

import pytest

from core.whatsapp import memory as whatsapp_memory

# Fixtures every app's tests share: the simulator and a Router row (routers), Midtrans and packages (billing).
pytest_plugins = ["routers.tests.fixtures", "billing.tests.fixtures"]

_phones = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    """Staff accounts have passwords; the production hasher would spend most of the suite hashing.
    Skipped without pytest-django (the simulator's tests run with ``-p no:django``)."""
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_whatsapp_outbox():
    whatsapp_memory.clear()
    yield
    whatsapp_memory.clear()


@pytest.fixture
def browser():
    """Headless Debian Chromium through Playwright (see core/testing/browser.py)."""
    from playwright.sync_api import sync_playwright

    from core.testing.browser import browser_launch

    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def outbox():
    """Messages sent through the in-memory WhatsApp backend during the test."""
    return whatsapp_memory.outbox


@pytest.fixture
def room(db):
    from accounts.models import Block, Room

    block, _ = Block.objects.get_or_create(name="A")
    return Room.objects.get_or_create(block=block, name="1")[0]


@pytest.fixture
def make_user(db, room):
    """make_user(approved=True, quota_bytes=..., days=30, role=..., unlimited=False, **fields) -> User."""
    from accounts.models import User
    from quota.services import quota_grant, quota_set_unlimited

    def make(*, approved=True, quota_bytes=0, days=30, role=User.Role.USER, unlimited=False, **fields):
        n = next(_phones)
        fields.setdefault("phone", f"+6281{n:09d}")
        fields.setdefault("full_name", f"Warga {n}")
        if role in User.RESIDENT_ROLES and "tamping_type" not in fields:
            fields.setdefault("room", room)
            fields.setdefault("block", room.block)
        if approved:
            fields.setdefault("approval_status", User.Approval.APPROVED)
        user = User.objects.create_user(role=role, **fields)
        if quota_bytes:
            quota_grant(user=user, amount_bytes=quota_bytes, days=days, idempotency_key=f"fixture:{user.pk}")
        if unlimited:
            quota_set_unlimited(user=user, unlimited=True, actor=None, days=days)
        return user

    return make


@pytest.fixture
def staff(make_user):
    from accounts.models import User

    return make_user(role=User.Role.SUPER_ADMIN, password="staff-pass-123", is_superuser=True)


@pytest.fixture(scope="session", autouse=True)
def _end_stray_test_database_sessions(request):
    """Live-server request threads serving a browser's last keep-alive request can still hold a
    connection when the session ends; end them so the test database can be dropped cleanly."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    request.getfixturevalue("django_db_setup")  # so this is torn down before the database is dropped
    blocker = request.getfixturevalue("django_db_blocker")
    yield
    from django.db import connection

    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].startswith("test_"):
        return  # not PostgreSQL, or the test database is already gone
    with blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def staff_client(client, staff):
    """A test client signed in as a super admin."""
    client.force_login(staff)
    return client
