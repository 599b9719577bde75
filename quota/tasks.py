"""Background tasks of quota (django-q2). Thin: each calls one cycle or service and returns a summary."""

import logging

from django_q.tasks import async_task

from quota.metering.compact import usage_compact
from quota.metering.cycles import usage_cycle
from quota.metering.rates import guard_refresh
from quota.pruning import devices_prune
from quota.router_state import full_reconcile, user_converge
from routers.client import RouterError
from routers.models import Router
from routers.selectors import routers_enabled

logger = logging.getLogger(__name__)


def usage_cycle_task() -> str:
    """The `quota.usage_cycle` schedule: one task per enabled router, so a router that is slow or down
    delays only its own; with no router, one cycle still lets statuses follow the clock (expiry)."""
    routers = routers_enabled()
    if not routers:
        return usage_cycle().summary()
    for router in routers:
        async_task("quota.tasks.usage_cycle_router_task", router.pk, task_name=f"usage-router-{router.pk}")
    return f"queued the usage cycle of {len(routers)} router(s)"


def usage_cycle_router_task(router_id: int) -> str:
    router = Router.objects.filter(pk=router_id, enabled=True).first()
    if router is None:
        return f"router {router_id} is gone or disabled"
    return usage_cycle(router=router).summary()


def router_reconcile_task() -> str:
    """The `router-reconcile` schedule: one task per enabled router (a router that is slow or down delays
    only its own; the writer lock keeps each router to one converge at a time)."""
    routers = routers_enabled()
    for router in routers:
        async_task(
            "quota.tasks.router_reconcile_one_task", router.pk, task_name=f"reconcile-router-{router.pk}"
        )
    return f"queued the reconcile of {len(routers)} router(s)"


def router_reconcile_one_task(router_id: int) -> str:
    router = Router.objects.filter(pk=router_id, enabled=True).first()
    if router is None:
        return f"router {router_id} is gone or disabled"
    return "\n".join(result.summary() for result in full_reconcile(router))


def devices_prune_task() -> str:
    pruned = devices_prune()
    return f"pruned {len(pruned)} device(s)"


def usage_compact_task() -> str:
    return usage_compact().summary()


def user_converge_task(user_id: int) -> None:
    """Targeted converge. Never raises: a router that is down only gets its last error and pending count
    recorded (by the converge itself, which also logs it), and the next full reconcile catches up. The
    user's guard rate is brought up to date first, so the queue gets the rate their balance calls for."""
    try:
        guard_refresh(user_id)
        user_converge(user_id)
    except RouterError as exc:
        logger.info("router converge for user %s deferred to the next reconcile: %s", user_id, exc)
    except Exception:  # recorded, never re-raised: the next full reconcile catches up
        logger.exception("router converge for user %s failed", user_id)
