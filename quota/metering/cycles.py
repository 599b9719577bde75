"""The two cycles: the normal usage cycle over every router, and the quota guard's fast cycle over the
guarded users' queues, with the loop that runs it. Each reads outside any transaction, then applies."""

from __future__ import annotations

import logging
import time

from django.db import connection
from django.utils import timezone

from quota.metering.apply import snapshots_apply
from quota.metering.read import snapshots_read
from quota.metering.report import CycleReport
from quota.models import QuotaBalance
from routers.state import queue_name

logger = logging.getLogger(__name__)


def usage_cycle(*, now=None, router=None) -> CycleReport:
    """One normal usage cycle: over `router` (and the statuses of its site's members), or over every
    enabled router and every user. `now` is a callable for the clock (tests)."""
    started = time.perf_counter()
    clock = now or timezone.now
    snapshots, failed = snapshots_read(
        routers=None if router is None else [router], with_hosts=True, now=clock
    )
    report = snapshots_apply(
        snapshots, now=clock(), full=True, site_id=None if router is None else router.site_id
    )
    report.routers_failed = failed
    report.seconds = time.perf_counter() - started
    return report


def guard_cycle(*, now=None) -> CycleReport:
    """One fast cycle: read, account and re-cap only the guarded users' queues."""
    started = time.perf_counter()
    clock = now or timezone.now
    guarded = list(
        QuotaBalance.objects.filter(guard_rate_bps__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    if not guarded:
        return CycleReport(seconds=time.perf_counter() - started)
    snapshots, failed = snapshots_read(queue_names=[queue_name(user_id) for user_id in guarded], now=clock)
    report = snapshots_apply(snapshots, now=clock(), full=False, scope_user_ids=guarded)
    report.routers_failed = failed
    report.seconds = time.perf_counter() - started
    return report


def guard_loop(*, interval_s: float, stop=None, log=print) -> None:
    """Run `guard_cycle` every `interval_s` seconds until `stop()` is true. Errors are logged, never fatal."""
    while not (stop and stop()):
        started = time.monotonic()
        try:
            report = guard_cycle()
            if report.guarded or report.routers_failed:
                log(report.summary())
        except Exception:
            logger.exception("quota guard cycle failed")
        finally:
            connection.close_if_unusable_or_obsolete()
        time.sleep(max(interval_s - (time.monotonic() - started), 0.05))
