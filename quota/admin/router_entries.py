"""The router entries that belong to one resident, for the resident's change page.

The page shows the last known state (what the last converge or refresh left, with its age) and never
waits for a router; the "Refresh from the router" button (`router_entries_refresh`) asks the routers live
and keeps what they answer. The routers shown: the enabled routers of the resident's site, and any other
router still holding entries of theirs (left from before a move; the next converge removes them).
"""

import logging

from django.utils.translation import gettext as _

from routers.client import RouterError
from routers.models import Router
from routers.selectors import routers_enabled
from routers.snapshots import known_entries_of, router_snapshot_refresh, routers_holding

log = logging.getLogger(__name__)


def routers_of(user) -> list[Router]:
    """The routers whose entries of `user` the page shows (see the module docstring)."""
    site_id = user.site_id
    routers = routers_enabled(site_id=site_id) if site_id is not None else routers_enabled()
    others = Router.objects.filter(pk__in=routers_holding(user.pk)).exclude(pk__in=[r.pk for r in routers])
    return routers + list(others.order_by("name"))


def router_entries_for(user) -> list[dict]:
    """One item per router: {"router", "ok", "note", "taken_at", "rows": [(menu, row), ...]}."""
    site_id = user.site_id
    results = []
    for known in known_entries_of(user.pk, routers_of(user)):
        router = known.router
        foreign = site_id is not None and router.site_id != site_id
        if known.taken_at is None:
            note = _("Not read yet: the next converge reads it, or refresh from the router.")
        elif foreign:
            note = _("This router belongs to another site; the next converge removes these entries.")
        else:
            note = "" if known.rows else _("No entries.")
        if router.last_error:
            note = " ".join(part for part in (note, _("Last error: %s") % router.last_error) if part)
        results.append(
            {
                "router": router,
                "ok": known.taken_at is not None and not router.last_error and not foreign,
                "note": note,
                "taken_at": known.taken_at,
                "rows": known.rows,
            }
        )
    return results


def router_entries_refresh(user) -> list[str]:
    """Ask the routers of `router_entries_for` live for `user`'s entries and keep them; the names (with
    the reason) of those that could not be read, whose last known state stays."""
    failed = []
    for router in routers_of(user):
        try:
            router_snapshot_refresh(router, user_ids=[user.pk])
        except RouterError as exc:
            log.warning("router %s not read for user %s: %s", router.name, user.pk, exc.message)
            failed.append(router.name)
    return failed
