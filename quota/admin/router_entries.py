"""The router entries that belong to one resident, read live for the resident's change page.

A router that is down, slow or not configured gives a note ("router unreachable"), never an error page.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from routers.client import connect
from routers.reconcile import snapshot_read
from routers.selectors import routers_enabled

log = logging.getLogger(__name__)


def router_entries_for(user) -> list[dict]:
    """One item per enabled router: {"router", "ok", "note", "rows": [(menu, row), ...]}."""
    results = []
    for router in routers_enabled():
        try:
            with connect(router, timeout=settings.MIKROTIK_QUICK_TIMEOUT_S, attempts=1) as api:
                snapshot = snapshot_read(api, user_ids=[user.pk])
        except Exception:  # the page must render whatever the router does
            log.warning("router %s unreachable while showing user %s", router.name, user.pk, exc_info=True)
            results.append({"router": router, "ok": False, "note": _("Router unreachable."), "rows": []})
            continue
        rows = [(menu, row) for menu, menu_rows in snapshot.rows.items() for row in menu_rows]
        results.append({"router": router, "ok": True, "note": "" if rows else _("No entries."), "rows": rows})
    return results
