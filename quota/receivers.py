"""Signal receivers of the quota app: the router follows every access change of a user."""

import logging

from django_q.tasks import async_task

from accounts.signals import access_changed

log = logging.getLogger(__name__)


def converge_user_on_access_change(sender, user_id, **kwargs):
    """Queue a targeted converge (the signal already fires after commit), so a web request or a webhook
    never waits on a router; the worker picks it up at once."""
    try:
        async_task("quota.tasks.user_converge_task", user_id, task_name=f"converge-user-{user_id}")
    except Exception:
        # The broker (Redis) is down: the change is committed and the full reconcile converges the user.
        log.warning("task queue unreachable: user %s converges on the next full reconcile", user_id)


def connect_receivers():
    access_changed.connect(converge_user_on_access_change, dispatch_uid="quota.router_converge")
