"""Writes on routers: one converge run against one router, and what it leaves on the Router row.

`router_converge` connects, reads, asks the caller for the desired state (given what was read, so the
domain can learn device addresses first), plans and applies. It records on the Router row: last contact,
last error (empty when the run worked) and the pending differences (what is known not to be applied);
and, after a run that wrote, the entries the router now holds (routers.snapshots, for staff pages).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from routers.client import RouterBusy, RouterUnavailable, connect
from routers.locks import router_writer
from routers.models import Router
from routers.reconcile import Op, Report, Snapshot, plan_apply, plan_make, plan_size, snapshot_read
from routers.snapshots import rows_after, snapshot_store
from routers.state import DesiredState

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    router: str
    ok: bool
    dry_run: bool = False
    plan: list[Op] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    error: str = ""

    @property
    def drift(self) -> int:
        """Entries the router differed by when read (what the run had to add, change or remove)."""
        return plan_size(self.plan)

    def summary(self) -> str:
        if not self.ok:
            return f"{self.router}: FAILED: {self.error}"
        if self.dry_run:
            return f"{self.router}: {self.drift} difference(s) to apply (dry run)"
        r = self.report
        text = (
            f"{self.router}: {r.adds} added, {r.sets} changed, {r.removes} removed in {r.commands} command(s)"
        )
        if r.errors:
            text += f"; {len(r.errors)} refused: " + "; ".join(r.errors[:5])
        return text


def _record_success(router: Router, *, pending: int | None) -> None:
    values = {"last_contact_at": timezone.now(), "last_error": "", "last_error_at": None}
    if pending is not None:
        values["pending_changes"] = pending
    Router.objects.filter(pk=router.pk).update(**values)


def _record_failure(router: Router, message: str, *, pending: int | None, add_pending: int = 0) -> None:
    values = {"last_error": message[:500], "last_error_at": timezone.now()}
    if pending is not None:
        values["pending_changes"] = pending
    elif add_pending:
        values["pending_changes"] = F("pending_changes") + add_pending
    Router.objects.filter(pk=router.pk).update(**values)


def _keep_snapshot(router: Router, rows, *, user_ids) -> None:
    """The last known state is a convenience for staff pages: failing to keep it never fails a converge."""
    try:
        snapshot_store(router, rows, user_ids=user_ids)
    except DatabaseError:
        logger.exception("router %s: the last known state could not be kept", router.name)


def router_converge(
    router: Router,
    desired_for: Callable[[Snapshot], DesiredState],
    *,
    user_ids=None,
    dry_run: bool = False,
    timeout: float | None = None,
    attempts: int | None = None,
    pending_hint: int = 1,
) -> RunResult:
    """Converge `router` to `desired_for(snapshot)`; never raises for router trouble (see `.ok`).

    With `user_ids`, only those users' managed entries are read and changed (a targeted converge), and
    the pending count grows by the size of their desired state (or `pending_hint` when nothing could be
    read) when the router cannot be reached.
    """
    result = RunResult(router=router.name, ok=False, dry_run=dry_run)
    targeted = user_ids is not None
    desired = None
    wait_s = settings.ROUTER_LOCK_WAIT_QUICK_S if targeted else settings.ROUTER_LOCK_WAIT_S
    try:
        with router_writer(router.pk, wait_s=0 if dry_run else wait_s) as held:
            if not held and not dry_run:
                raise RouterBusy(f"{router.name}: another run is converging this router; it will catch up")
            with connect(router, timeout=timeout, attempts=attempts) as api:
                snapshot = snapshot_read(api, user_ids=user_ids)
                desired = desired_for(snapshot)
                result.plan = plan_make(snapshot, desired)
                if not dry_run:
                    plan_apply(api, result.plan, result.report)
                    after = rows_after(api, snapshot, result.plan, result.report, user_ids=user_ids)
            if not dry_run:  # still the only writer: the kept state cannot overtake a later run's
                _keep_snapshot(router, after, user_ids=user_ids)
    except RouterUnavailable as exc:
        result.error = exc.message
        logger.warning("router converge failed: %s", exc.message)
        if result.plan:
            left = max(result.drift - result.report.writes, 0)
            _record_failure(router, exc.message, pending=None if targeted else left, add_pending=left)
        else:
            size = max(desired.size if desired else pending_hint, 1)
            _record_failure(router, exc.message, pending=None, add_pending=size if targeted else 0)
        return result
    result.ok = True
    if dry_run:
        _record_success(router, pending=None if targeted else result.drift)
    else:
        _record_success(router, pending=None if targeted else result.report.failed_ops)
    return result


@dataclass
class CheckResult:
    ok: bool
    identity: str = ""
    version: str = ""
    uptime: str = ""
    drift: int = 0
    error: str = ""


def router_check(
    router: Router, desired_for: Callable[[Snapshot], DesiredState], *, attempts: int | None = None
) -> CheckResult:
    """Connectivity, identity, version and drift of one router; records contact or error, writes nothing
    to the router."""
    try:
        with connect(router, attempts=attempts) as api:
            identity = api.run("/system/identity/print")[0].get("name", "")
            resource = api.run("/system/resource/print", "=.proplist=version,uptime")[0]
            snapshot = snapshot_read(api)
            drift = plan_size(plan_make(snapshot, desired_for(snapshot)))
    except RouterUnavailable as exc:
        _record_failure(router, exc.message, pending=None)
        return CheckResult(ok=False, error=exc.message)
    _record_success(router, pending=drift)
    return CheckResult(
        ok=True,
        identity=str(identity),
        version=str(resource.get("version", "")),
        uptime=str(resource.get("uptime", "")),
        drift=drift,
    )
