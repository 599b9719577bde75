"""Periodic tasks of quota, installed by `manage.py ensure_schedules`.

The fast cycle of the quota guard is not here: django-q2 schedules run at most once a minute, so it is
the long-running `manage.py quota_guard` process (Procfile, systemd), see README "Usage and the guard".
"""

from django.conf import settings

SCHEDULES = [
    {
        "name": "quota.usage_cycle",
        "func": "quota.tasks.usage_cycle_task",
        "minutes": max(1, round(settings.USAGE_INTERVAL_S / 60)),
    },
    {
        # The name predates the move from routers: ensure_schedules finds the installed schedule by it.
        "name": "router-reconcile",
        "func": "quota.tasks.router_reconcile_task",
        "minutes": settings.ROUTER_RECONCILE_MINUTES,
    },
    {
        "name": "quota.devices_prune",
        "func": "quota.tasks.devices_prune_task",
        "cron": "15 3 * * *",  # daily, at night (server time zone)
    },
    {
        "name": "quota.usage_compact",
        "func": "quota.tasks.usage_compact_task",
        "cron": "45 3 * * *",  # daily, at night: folds usage detail older than USAGE_DETAIL_DAYS
    },
    {
        "name": "quota.free_riders",
        "func": "quota.hygiene.tasks.free_riders_task",
        "minutes": settings.FREE_RIDER_MINUTES,
    },
    {
        "name": "quota.walled_garden",
        "func": "quota.hygiene.tasks.walled_garden_task",
        "cron": "0 2 * * *",  # daily; `manage.py walled_garden_sync` on demand
    },
    {
        "name": "quota.inactive_accounts",
        "func": "quota.hygiene.tasks.inactive_task",
        "cron": "0 3 * * *",
    },
    {
        "name": "quota.broadcast_tick",
        "func": "quota.broadcast.broadcast_tick",
        "minutes": 1,
    },
    {
        # Debt reminders, block warnings and debt blocks (quota.debt_cycle); cheap when nobody owes anything.
        "name": "quota.debt_cycle",
        "func": "quota.debt_cycle.debt_cycle_task",
        "minutes": 1,
    },
]
