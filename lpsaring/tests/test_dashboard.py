"""The admin dashboard: right figures, server-rendered charts, and a query count that does not grow."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from billing.models import Package, Transaction
from core.charts import bar_chart_svg
from core.units import GIB, MIB
from lpsaring.dashboard import dashboard_data
from quota.models import DailyUsage, QuotaBalance, QuotaRequest
from routers.models import Router

QUERY_BOUND = 20
_orders = itertools.count(1)


def populate(room, *, residents: int, now):
    """Residents in every status, paid and unpaid transactions over 40 days, usage, requests, routers."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            phone=f"+62812{start + i:08d}",
            full_name=f"Warga {start + i}",
            room=room,
            block=room.block,
            approval_status=User.Approval.PENDING if i % 10 == 0 else User.Approval.APPROVED,
            is_blocked=i % 10 == 1,
            blocked_reason="uji" if i % 10 == 1 else "",
            role=User.Role.KOMANDAN if i % 25 == 2 else User.Role.USER,
        )
        for i in range(residents)
    )
    QuotaBalance.objects.bulk_create(
        QuotaBalance(
            user=user,
            purchased_bytes=10 * GIB,
            used_bytes=[0, 10 * GIB, 9 * GIB][i % 3],
            expires_at=now + timedelta(days=[3, 20, -1][i % 3 if i % 7 else 2]),
        )
        for i, user in enumerate(users)
    )
    package, _ = Package.objects.get_or_create(
        name="10 GB", defaults={"price": 25000, "quota_bytes": 10 * GIB}
    )
    Transaction.objects.bulk_create(
        Transaction(
            order_id=f"T-{next(_orders)}",
            user=users[i % len(users)],
            package=package,
            amount=25000,
            status=Transaction.Status.PAID if i % 4 else Transaction.Status.EXPIRED,
            created_at=now - timedelta(hours=9 * i),
            paid_at=now - timedelta(hours=9 * i) if i % 4 else None,
            expires_at=now,
        )
        for i in range(4 * residents)
    )
    DailyUsage.objects.bulk_create(
        DailyUsage(user=user, date=timezone.localdate(now) - timedelta(days=d), bytes=(d + 1) * 100 * MIB)
        for user in users[:20]
        for d in range(30)
    )
    QuotaRequest.objects.bulk_create(
        QuotaRequest(requester=u, kind="QUOTA", requested_bytes=GIB, requested_days=3)
        for u in users
        if u.role == User.Role.KOMANDAN
    )
    Router.objects.bulk_create(
        [
            Router(name=f"r-ok-{start}", host="127.0.0.1", username="a", last_contact_at=now),
            Router(
                name=f"r-err-{start}",
                host="127.0.0.1",
                username="a",
                last_contact_at=now,
                last_error="timeout",
                pending_changes=7,
            ),
            Router(name=f"r-stale-{start}", host="127.0.0.1", username="a"),
        ]
    )


def queries_for_index(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_dashboard_renders_in_a_bounded_number_of_queries(staff_client, room):
    now = timezone.now()
    populate(room, residents=20, now=now)
    small = queries_for_index(staff_client)
    populate(room, residents=200, now=now)
    large = queries_for_index(staff_client)
    print(f"dashboard queries: {small} with 20 residents, {large} with 220")
    assert large == small, "the dashboard's query count grows with the data"
    assert large <= QUERY_BOUND


# Mid-afternoon in the middle of a month: payments 9 hours apart fall today, this week and this month.
@time_machine.travel(datetime(2026, 6, 17, 15, 0, tzinfo=ZoneInfo("Asia/Makassar")), tick=True)
@pytest.mark.django_db
def test_dashboard_shows_revenue_statuses_pending_routers_and_charts(staff_client, room):
    now = timezone.now()
    populate(room, residents=50, now=now)
    page = staff_client.get(reverse("admin:index"))
    text = page.content.decode()
    data = dashboard_data(now)

    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    paid_today = Transaction.objects.filter(status="PAID", paid_at__gte=today)
    assert data["revenue"]["today"] == sum(t.amount for t in paid_today) > 0
    assert (
        data["revenue"]["today"] <= data["revenue"]["week"]
        or data["revenue"]["today"] <= data["revenue"]["month"]
    )
    assert data["residents_total"] == 50
    counts = {status: count for status, _, count in data["by_status"]}
    assert counts["blocked"] == 5 and counts["inactive"] == 5 - 0  # every tenth pending, every tenth blocked
    assert counts["habis"] > 0 and counts["fup"] == 0 and counts["expired"] > 0 and counts["ok"] > 0
    assert data["pending"] == {"registrations": 5, "requests": 2}
    assert f'id="lps-pending-registrations">{data["pending"]["registrations"]}<' in text
    assert text.count("<svg") >= 2 and "<rect" in text
    assert "(maks. Rp " in text and " max)" not in text  # the chart headings speak Indonesian too
    assert "cdn" not in text.lower()
    routers = {r["router"].name.split("-")[1]: r for r in data["routers"]}
    assert routers["ok"]["ok"] and not routers["err"]["ok"] and routers["err"]["drift"] == 7
    assert routers["stale"]["stale"]
    assert "timeout" in text
    assert len(data["transactions"]) == 10


@pytest.mark.django_db
def test_usage_chart_sums_each_day(room):
    now = timezone.now()
    populate(room, residents=20, now=now)
    usage = dict(dashboard_data(now)["usage_per_day"])
    assert usage[timezone.localdate(now)] == 20 * 100 * MIB
    assert len(usage) == 30


def test_bar_chart_scales_bars_and_escapes_labels():
    svg = str(bar_chart_svg([("<a>", 50), ("b", 100), ("c", 0)], title="Uji & coba", height=122))
    assert "&lt;a&gt;" in svg and "<a>" not in svg and "Uji &amp; coba" in svg
    heights = [float(part.split('"')[0]) for part in svg.split('height="')[1:]]
    assert heights == [39.0, 78.0, 0.0]  # plot height 78: half, full, none
