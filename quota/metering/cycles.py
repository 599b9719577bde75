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


# pg_advisory_lock key held by the one quota guard that runs cycles ("lpguar"); others stand by.
GUARD_LEADER_KEY = 0x6C7067756172


def guard_lead(state: dict) -> bool:
    """True while this process is the guard that runs cycles: it holds the leader lock on its current
    database connection (a reconnect loses it, and it is taken again if still free). A second guard, on
    this machine or another, stands by and takes over when the first one stops."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        if state.get("pid") == pid:
            return True
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [GUARD_LEADER_KEY])
        if cursor.fetchone()[0]:
            state["pid"] = pid
            return True
    state.pop("pid", None)
    return False


def guard_loop(*, interval_s: float, stop=None, log=print, cycle=guard_cycle) -> None:
    """Run `cycle` (the guard's fast cycle) every `interval_s` seconds until `stop()` is true, while this
    process leads (see `guard_lead`). Errors are logged, never fatal."""
    state: dict = {}
    standing_by = False
    while not (stop and stop()):
        started = time.monotonic()
        try:
            if guard_lead(state):
                if standing_by:
                    log("quota guard: leading now")
                standing_by = False
                report = cycle()
                if report.guarded or report.routers_failed:
                    log(report.summary())
            elif not standing_by:
                standing_by = True
                log("quota guard: another guard is running; standing by")
        except Exception:
            logger.exception("quota guard cycle failed")
        finally:
            # Kept open between cycles (it holds the leader lock); a broken one is closed and the next
            # cycle reconnects, taking the lock again if no other guard did meanwhile.
            if connection.connection is not None and not connection.is_usable():
                connection.close()
        time.sleep(max(interval_s - (time.monotonic() - started), 0.05))
