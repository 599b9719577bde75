"""`router_sync --adopt-lpsaring`: take over a router the Flask lpsaring deployment managed, with nobody
losing access on the way (the RouterOS part, recognising and planning, is routers.adoption).

For other engineers: `router_adopt(router, dry_run=False) -> AdoptionResult`. Holding the router's writer
lock throughout, on one connection: read; re-label the Flask entries that stand for a device's desired
entry (one comment `set` each); converge to the database's desired state (adds what is missing, fixes what
differs); read again and remove the Flask entries left (bindings, list entries, leases, the hotspot users
named after our residents' phones and the Flask profiles no one else uses). Entries that are neither
ours nor Flask's are left alone and listed. A dry run reads only, and plans the three steps in memory.
Flask entries are matched to our devices through the desired state (by MAC, and by the address the router
knows for it), so the imported database is all it needs: no Flask ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from accounts.models import User
from accounts.selectors import site_members_q
from quota.router_state import desired_state
from routers import adoption
from routers.client import RouterBusy, RouterUnavailable, connect
from routers.locks import router_writer
from routers.reconcile import Op, Report, plan_apply, plan_make, plan_size, snapshot_read


@dataclass
class AdoptionResult:
    router: str
    ok: bool = False
    dry_run: bool = False
    relabels: list[Op] = field(default_factory=list)
    converge: list[Op] = field(default_factory=list)
    removals: list[Op] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    bypass_lost: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    error: str = ""

    def summary(self) -> str:
        if not self.ok:
            return f"{self.router}: adoption FAILED: {self.error}"
        removed = plan_size(self.removals)
        text = (
            f"{self.router}: {len(self.relabels)} Flask entries re-labelled, {plan_size(self.converge)} "
            f"converge change(s), {removed} Flask entries removed, {len(self.unknown)} unknown left alone"
        )
        if self.dry_run:
            return text + " (dry run: nothing written)"
        text += f"; {self.report.commands} write command(s)"
        if self.report.errors:
            text += f"; {len(self.report.errors)} refused: " + "; ".join(self.report.errors[:5])
        return text


def resident_phones(site_id: int | None) -> set[str]:
    """The names Flask gave hotspot users of this site's residents: phone as +62…, 62… and 08…."""
    users = User.objects.all()
    if site_id is not None:
        users = users.filter(site_members_q(site_id))
    names = set()
    for phone in users.values_list("phone", flat=True).iterator():
        digits = phone.lstrip("+")
        names |= {phone, digits, "0" + digits[2:] if digits.startswith("62") else digits}
    return names


def router_adopt(router, *, dry_run: bool = False) -> AdoptionResult:
    """Take over `router` from the Flask deployment (see the module docstring); never raises for router
    trouble (see `.ok`; a run cut off is finished by running it again)."""
    result = AdoptionResult(router=router.name, dry_run=dry_run)
    phones = resident_phones(router.site_id)
    try:
        with router_writer(router.pk, wait_s=settings.ROUTER_LOCK_WAIT_S) as held:
            if not held:
                raise RouterBusy(f"{router.name}: another run is converging this router; try again")
            with connect(router) as api:
                _adopt(api, router, result, phones)
    except RouterUnavailable as exc:
        result.error = exc.message
        return result
    result.ok = True
    return result


def _desired(router, snapshot, dry_run: bool):
    return desired_state(site_id=router.site_id, addresses=snapshot.addresses, write_ips=not dry_run)


def _adopt(api, router, result: AdoptionResult, phones: set[str]) -> None:
    dry_run = result.dry_run
    snapshot = snapshot_read(api)
    extras = adoption.extras_read(api)
    desired = _desired(router, snapshot, dry_run)
    result.relabels = adoption.relabels_plan(snapshot, desired)
    if dry_run:
        after = adoption.relabelled(snapshot, result.relabels)
        result.converge = plan_make(after, desired)
    else:
        plan_apply(api, result.relabels, result.report)
        snapshot = snapshot_read(api)
        desired = _desired(router, snapshot, dry_run)
        result.converge = plan_make(snapshot, desired)
        plan_apply(api, result.converge, result.report)
        snapshot = snapshot_read(api)
        after = snapshot
        extras = adoption.extras_read(api)
    found = adoption.entries_sort(after.rows, extras, phones=phones)
    result.removals = adoption.removals_plan(found.flask)
    result.unknown = found.unknown
    result.bypass_lost = adoption.bypass_lost(found.flask, desired)
    if not dry_run:
        plan_apply(api, result.removals, result.report)
