"""Background tasks of quota (django-q2). Thin: each calls one cycle or service and returns a summary."""

import logging

from quota.metering.cycles import usage_cycle
from quota.metering.rates import guard_refresh
from quota.pruning import devices_prune
from quota.router_state import full_reconcile, user_converge
from routers.client import RouterError

logger = logging.getLogger(__name__)


def usage_cycle_task() -> str:
    return usage_cycle().summary()


def router_reconcile_task() -> str:
    """The `router-reconcile` schedule: converge every enabled router; returns the summary lines."""
    return "\n".join(result.summary() for result in full_reconcile())


def devices_prune_task() -> str:
    pruned = devices_prune()
    return f"pruned {len(pruned)} device(s)"


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
