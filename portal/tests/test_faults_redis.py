"""Redis stopped under a running deployment: logins go on with the budgets held in PostgreSQL, /healthz
says so, one staff alert goes out, and everything is back on Redis when it returns (no restart)."""

import pytest

from accounts.models import OtpCode, User
from core import cache as failover
from core.testing.redis_server import cache_on_own_redis
from portal.tests.conftest import request_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


@pytest.fixture
def own_redis(settings):
    with cache_on_own_redis(settings) as server:
        yield server


@pytest.fixture
def at_portal(portal_client):
    portal_client.arrive(15)
    return portal_client


def test_with_redis_down_code_requests_answer_and_the_per_number_limit_still_holds(
    own_redis, at_portal, make_user, outbox, settings
):
    resident = make_user()
    make_user(role=User.Role.SUPER_ADMIN, phone="+6281199990000")
    settings.OTP_RESEND_COOLDOWN_S = 0
    settings.OTP_RATE_PER_IP = "1000/h"
    settings.TRUSTED_PROXY_CIDRS = ["127.0.0.1/32"]
    own_redis.stop()
    statuses = [
        request_code(at_portal, resident.phone, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(1, 9)
    ]
    assert 500 not in statuses
    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert OtpCode.objects.filter(user=resident).count() == 3
    alerts = [m for m in outbox if m["phone"] == "+6281199990000"]
    assert len(alerts) == 1 and "Redis" in alerts[0]["text"]
    health = at_portal.get("/healthz").json()
    assert health["status"] == "degraded" and health["cache"]["fallback"] == "database"

    own_redis.start()
    failover._state["down_until"] = 0.0  # the retry delay has passed
    assert at_portal.get("/healthz").json()["cache"] == {"ok": True}
    other = make_user()
    assert request_code(at_portal, other.phone, HTTP_X_FORWARDED_FOR="10.0.1.1").status_code == 302
    assert OtpCode.objects.filter(user=other).count() == 1


def test_with_redis_down_the_global_send_budget_still_holds(
    own_redis, at_portal, make_user, outbox, settings
):
    settings.OTP_HOURLY_SEND_BUDGET = 2
    settings.TRUSTED_PROXY_CIDRS = ["127.0.0.1/32"]
    residents = [make_user() for _ in range(4)]
    own_redis.stop()
    for n, resident in enumerate(residents):
        assert request_code(at_portal, resident.phone, HTTP_X_FORWARDED_FOR=f"10.0.2.{n}").status_code == 302
    assert OtpCode.objects.count() == 2
    codes = [m for m in outbox if m["phone"] in {r.phone for r in residents}]
    assert len(codes) == 2
