"""Signal receivers of the quota app: the router follows every access change of a user."""

import logging

from accounts.signals import access_changed

logger = logging.getLogger(__name__)


def converge_user_on_access_change(sender, user_id, **kwargs):
    """Targeted converge after commit. Never raises: a router that is down only gets its last error and
    pending count recorded (by the converge itself, which also logs it), and the next full reconcile
    catches up."""
    from quota.router_state import user_converge
    from routers.client import RouterError

    try:
        user_converge(user_id)
    except RouterError as exc:
        logger.info("router converge for user %s deferred to the next reconcile: %s", user_id, exc)
    except Exception:  # a web request must never fail because of the router layer
        logger.exception("router converge for user %s failed", user_id)


def connect_receivers():
    access_changed.connect(converge_user_on_access_change, dispatch_uid="quota.router_converge")
