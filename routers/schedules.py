"""Periodic tasks of the routers app (installed by `ensure_schedules`)."""

from django.conf import settings

SCHEDULES = [
    {
        "name": "router-reconcile",
        "func": "routers.tasks.router_reconcile",
        "minutes": settings.ROUTER_RECONCILE_MINUTES,
    },
]
