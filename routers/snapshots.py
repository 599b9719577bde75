"""The last known router state: each user's managed entries per router, kept in the database.

Staff pages read it (with its age) instead of asking every router while the page waits. It is written by
`routers.services.router_converge` (a full run rewrites what changed and confirms the rest through
`Router.snapshot_at`; a targeted run rewrites its users' part) and by `router_snapshot_refresh`, the
staff's "refresh from the router". Only managed entries (comment `lps:u=<id>…`) are kept, keyed by the
user id of the tag, without the router's `.id` and empty or false fields, so a row stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from routers.client import connect
from routers.models import Router, RouterSnapshot
from routers.reconcile import Op, Report, Snapshot, snapshot_read
from routers.state import tag_user_id


def _compact_row(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != ".id" and value not in (None, "", False)}


def rows_by_user(rows: dict[str, list[dict]]) -> dict[int, dict[str, list[dict]]]:
    """{user id: {menu: [compact row, ...]}} of the managed rows of one read."""
    found: dict[int, dict[str, list[dict]]] = {}
    for menu, menu_rows in rows.items():
        for row in menu_rows:
            user_id = tag_user_id(row.get("comment"))
            if user_id is not None:
                found.setdefault(user_id, {}).setdefault(menu, []).append(_compact_row(row))
    return found


def _applied_exactly(plan: list[Op], report: Report) -> bool:
    """Every op did what it says (no trap, no address-list entry found covered by another one)."""
    adds = sum(1 for op in plan if op.kind == "add")
    sets = sum(1 for op in plan if op.kind == "set")
    removes = sum(len(op.ids) for op in plan if op.kind == "remove")
    return not report.errors and (report.adds, report.sets, report.removes) == (adds, sets, removes)


def rows_after(api, snapshot: Snapshot, plan: list[Op], report: Report, *, user_ids=None):
    """The managed menus as the router holds them after `plan` was applied: computed from the read and the
    plan when every op did exactly what it says, read again (same scope) otherwise."""
    if not _applied_exactly(plan, report):
        return snapshot_read(api, user_ids=user_ids).rows
    by_id = {menu: {str(row.get(".id")): dict(row) for row in rows} for menu, rows in snapshot.rows.items()}
    added = 0
    for op in plan:
        menu_rows = by_id.setdefault(op.menu, {})
        if op.kind == "remove":
            for entry_id in op.ids:
                menu_rows.pop(entry_id, None)
        elif op.kind == "set":
            row = menu_rows.setdefault(str(op.fields[".id"]), {})
            row.update({key: value for key, value in op.fields.items() if key != ".id"})
            if row.get("disabled") == "no":
                row["disabled"] = False
        else:
            added += 1
            menu_rows[f"+{added}"] = dict(op.fields)
    return {menu: list(rows.values()) for menu, rows in by_id.items()}


def snapshot_store(router: Router, rows: dict[str, list[dict]], *, user_ids=None, now=None) -> None:
    """Keep what one read (or converge) of `router` found. Without `user_ids` it covered the whole router:
    users no longer there lose their row and `Router.snapshot_at` confirms the unchanged ones. With
    `user_ids` only those users' rows are rewritten (an empty one when they have no entries, so its time
    says when that was seen)."""
    now = now or timezone.now()
    found = rows_by_user(rows)
    existing_rows = RouterSnapshot.objects.filter(router=router)
    if user_ids is not None:
        scope = {int(user_id) for user_id in user_ids}
        found = {user_id: found.get(user_id, {}) for user_id in scope}
        existing_rows = existing_rows.filter(user_id__in=scope)
    with transaction.atomic():
        existing = dict(existing_rows.values_list("user_id", "rows"))
        if user_ids is None:
            gone = [user_id for user_id in existing if user_id not in found]
            RouterSnapshot.objects.filter(router=router, user_id__in=gone).delete()
            Router.objects.filter(pk=router.pk).update(snapshot_at=now)
        changed = [
            RouterSnapshot(router=router, user_id=user_id, taken_at=now, rows=user_rows)
            for user_id, user_rows in found.items()
            if user_ids is not None or existing.get(user_id) != user_rows
        ]
        RouterSnapshot.objects.bulk_create(
            changed,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["router", "user_id"],
            update_fields=["taken_at", "rows"],
        )


@dataclass
class KnownEntries:
    """One router's last known entries of one user: `taken_at` None when never read."""

    router: Router
    taken_at: datetime | None
    rows: list[tuple[str, dict]]


def known_entries_of(user_id: int, routers: list[Router]) -> list[KnownEntries]:
    """The last known entries of `user_id` on each of `routers`, in one query."""
    stored = {
        item.router_id: item for item in RouterSnapshot.objects.filter(user_id=user_id, router__in=routers)
    }
    known = []
    for router in routers:
        item = stored.get(router.pk)
        times = [t for t in (router.snapshot_at, item.taken_at if item else None) if t is not None]
        rows = [(menu, row) for menu, menu_rows in (item.rows if item else {}).items() for row in menu_rows]
        known.append(KnownEntries(router=router, taken_at=max(times) if times else None, rows=rows))
    return known


def routers_holding(user_id: int) -> list[int]:
    """Ids of the routers whose last known state has entries of `user_id`."""
    return list(
        RouterSnapshot.objects.filter(user_id=user_id).exclude(rows={}).values_list("router_id", flat=True)
    )


def router_snapshot_refresh(router: Router, *, user_ids) -> None:
    """Ask `router` now (one quick attempt) for these users' entries and keep them. Raises
    `routers.client.RouterError` (nothing kept) when it cannot be read."""
    with connect(router, timeout=settings.MIKROTIK_QUICK_TIMEOUT_S, attempts=1) as api:
        snapshot = snapshot_read(api, user_ids=list(user_ids))
    snapshot_store(router, snapshot.rows, user_ids=user_ids)
