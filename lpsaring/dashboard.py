"""The admin dashboard's figures, in a fixed number of queries whatever the number of residents.

Every figure takes `site_ids`: None for every site, or the sites to count (the one chosen in the site
selector, held to the staff member's own sites by `dashboard_sites`).
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from accounts.scope import resident_lookups, scoped, staff_site_ids
from billing.models import Transaction
from lpsaring.health import router_is_fresh
from quota.models import DailyUsage, QuotaRequest
from quota.status import AccessFacts, AccessStatus, access_status
from routers.models import Router
from sites.models import Site

CHART_DAYS = 30
EXPIRING_WITHIN = timedelta(days=7)
LAST_TRANSACTIONS = 10


def _day_starts(now):
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return today, today - timedelta(days=today.weekday()), today.replace(day=1)


def _of_sites(queryset, site_ids, prefix: str = ""):
    """Rows about residents of `site_ids` (reached through `prefix`); all rows when None."""
    return scoped(queryset, resident_lookups(prefix), site_ids)


def dashboard_sites(user, chosen: str | None) -> tuple[list[Site], Site | None, frozenset[int] | None]:
    """The sites `user` may choose from, the chosen one (None: all of theirs) and the site ids to count."""
    allowed = staff_site_ids(user)
    sites = list(scoped(Site.objects.order_by("name"), ("pk",), allowed))
    site = next((s for s in sites if str(s.pk) == chosen), None)
    if site is not None:
        return sites, site, frozenset([site.pk])
    return sites, None, allowed


def revenue_totals(now, site_ids=None) -> dict[str, int]:
    """Rupiah of PAID transactions paid since the start of today, this week (Monday) and this month."""
    today, week, month = _day_starts(now)
    paid = Transaction.objects.filter(status=Transaction.Status.PAID, paid_at__gte=min(week, month))
    paid = _of_sites(paid, site_ids, "user__")
    return paid.aggregate(
        today=Sum("amount", filter=Q(paid_at__gte=today), default=0),
        week=Sum("amount", filter=Q(paid_at__gte=week), default=0),
        month=Sum("amount", filter=Q(paid_at__gte=month), default=0),
    )


def residents_by_status(now, site_ids=None) -> tuple[dict[AccessStatus, int], int]:
    """Residents per access status (the engine's own rule, over one query) and how many expire soon."""
    residents = _of_sites(User.objects.filter(role__in=User.RESIDENT_ROLES), site_ids)
    rows = residents.values_list(
        "is_blocked",
        "approval_status",
        "is_active",
        "balance__is_unlimited",
        "balance__expires_at",
        "balance__purchased_bytes",
        "balance__used_bytes",
        "balance__debt_block",
    )
    counts = Counter()
    expiring = 0
    for blocked, approval, active, unlimited, expires_at, purchased, used, debt_block in rows.iterator(
        chunk_size=2000
    ):
        facts = AccessFacts(
            is_blocked=blocked,
            is_approved=approval == User.Approval.APPROVED,
            is_active=active,
            is_unlimited=bool(unlimited),
            expires_at=expires_at,
            purchased_bytes=purchased or 0,
            used_bytes=used or 0,
            is_debt_blocked=bool(debt_block),
        )
        status = access_status(facts=facts, now=now, fup_threshold_bytes=settings.QUOTA_FUP_THRESHOLD_BYTES)
        counts[status] += 1
        if (
            status in (AccessStatus.OK, AccessStatus.FUP)
            and expires_at
            and expires_at <= now + EXPIRING_WITHIN
        ):
            expiring += 1
    return {status: counts.get(status, 0) for status in AccessStatus}, expiring


def _days(now) -> list:
    last = timezone.localdate(now)
    return [last - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]


def usage_per_day(now, site_ids=None) -> list[tuple]:
    days = _days(now)
    totals = dict(
        _of_sites(DailyUsage.objects.filter(date__gte=days[0], date__lte=days[-1]), site_ids, "user__")
        .values("date")
        .annotate(total=Sum("bytes"))
        .values_list("date", "total")
    )
    return [(day, totals.get(day, 0)) for day in days]


def revenue_per_day(now, site_ids=None) -> list[tuple]:
    days = _days(now)
    start = timezone.make_aware(datetime.combine(days[0], time.min))
    paid = Transaction.objects.filter(status=Transaction.Status.PAID, paid_at__gte=start)
    totals = dict(
        _of_sites(paid, site_ids, "user__")
        .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Sum("amount"))
        .values_list("day", "total")
    )
    return [(day, totals.get(day, 0)) for day in days]


def router_health(now, site_ids=None) -> list[dict]:
    health = []
    for router in scoped(Router.objects.order_by("name"), ("site",), site_ids):
        fresh = router_is_fresh(router, now)
        health.append(
            {
                "router": router,
                "ok": router.enabled and fresh and not router.last_error,
                "stale": not fresh,
                "drift": router.pending_changes,
            }
        )
    return health


def pending_counts(site_ids=None) -> dict[str, int]:
    pending = User.objects.filter(role__in=User.RESIDENT_ROLES, approval_status=User.Approval.PENDING)
    requests = QuotaRequest.objects.filter(status=QuotaRequest.Status.PENDING)
    return {
        "registrations": _of_sites(pending, site_ids).count(),
        "requests": _of_sites(requests, site_ids, "requester__").count(),
    }


def last_transactions(site_ids=None) -> list[Transaction]:
    transactions = _of_sites(Transaction.objects.select_related("user", "package"), site_ids, "user__")
    return list(transactions.order_by("-created_at")[:LAST_TRANSACTIONS])


def dashboard_data(now=None, site_ids=None) -> dict:
    now = now or timezone.now()
    by_status, expiring = residents_by_status(now, site_ids)
    return {
        "revenue": revenue_totals(now, site_ids),
        "by_status": [(status, status.label, count) for status, count in by_status.items()],
        "residents_total": sum(by_status.values()),
        "expiring_soon": expiring,
        "pending": pending_counts(site_ids),
        "usage_per_day": usage_per_day(now, site_ids),
        "revenue_per_day": revenue_per_day(now, site_ids),
        "routers": router_health(now, site_ids),
        "transactions": last_transactions(site_ids),
    }
