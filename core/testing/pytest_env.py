"""Test environment, loaded by pytest (`-p core.testing.pytest_env`) before Django reads its settings.

Every value is a default: an exported variable (CI, a developer's shell) wins.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", "test-" + "k3y" * 20)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lpsaring")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
# Parallel test runs on one machine must not share rate-limit counters.
os.environ.setdefault("CACHE_KEY_PREFIX", f"lps-test-{secrets.token_hex(4)}")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("WHATSAPP_BACKEND", "memory")
os.environ.setdefault("Q_SYNC", "1")
# The database broker, as before Redis was the default with REDIS_URL: the cluster tests read its table.
os.environ.setdefault("Q_BROKER", "orm")
os.environ.setdefault("MIDTRANS_SERVER_KEY", "SB-Mid-server-TEST")
os.environ.setdefault("MIDTRANS_CLIENT_KEY", "SB-Mid-client-TEST")


# --- The whole run at another time: LPS_TEST_CLOCK=2026-12-31T00:30:00+08:00 -----------------------------
# Every test that needs a date or an hour sets its own clock (time_machine.travel); this moves the clock
# under all the others, so a test that silently depends on the hour or the day fails here and not at
# 00:30 on the last day of a month. The clock ticks (tick=True): timeouts, sleeps and the durations that
# threads measure keep working. Only Python's clock moves; PostgreSQL, Redis and Chromium keep the real one,
# so keep the moved clock within a few weeks of the real date (`make test` picks the last day of the
# current month), because a browser honours cookie lifetimes against its own clock.
_clock_travel = None


def pytest_configure(config):
    global _clock_travel
    value = os.environ.get("LPS_TEST_CLOCK", "").strip()
    if not value:
        return
    import datetime

    import time_machine

    try:
        destination = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise SystemExit(f"LPS_TEST_CLOCK={value!r}: expected an ISO 8601 time with an offset") from exc
    if destination.tzinfo is None:
        raise SystemExit(f"LPS_TEST_CLOCK={value!r}: give the offset, e.g. 2026-12-31T00:30:00+08:00")
    _clock_travel = time_machine.travel(destination, tick=True)
    _clock_travel.start()


def pytest_report_header(config):
    if _clock_travel is not None:
        return f"clock moved: LPS_TEST_CLOCK={os.environ['LPS_TEST_CLOCK']} (ticking)"
    return None


def pytest_unconfigure(config):
    global _clock_travel
    if _clock_travel is not None:
        _clock_travel.stop()
        _clock_travel = None
