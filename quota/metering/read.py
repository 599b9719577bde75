"""Reading counters: one snapshot per reachable router, outside any transaction."""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from routers.client import RouterError
from routers.counters import counters_read
from routers.selectors import routers_enabled

logger = logging.getLogger(__name__)


def snapshots_read(*, routers=None, queue_names=None, with_hosts: bool = False, now=None):
    """One snapshot per reachable router, and the (name, error) of those that failed.

    Several routers are read at once (one thread each, up to USAGE_READ_THREADS): reading is waiting on
    the network, and a router that is slow or down then costs its own timeout, not the others'. A router
    that fails keeps its last samples, so its usage is counted by the next cycle that reads it.
    """
    targets = list(routers if routers is not None else routers_enabled())

    def read(router):
        try:
            return counters_read(
                router, queue_names=queue_names, with_hosts=with_hosts, now=now() if now else None
            )
        except RouterError as exc:
            logger.warning("usage: router %s not read: %s", router.name, exc)
            return exc

    if len(targets) > 1:
        with ThreadPoolExecutor(max_workers=min(len(targets), settings.USAGE_READ_THREADS)) as pool:
            outcomes = list(pool.map(read, targets))
    else:
        outcomes = [read(router) for router in targets]
    snapshots = [outcome for outcome in outcomes if not isinstance(outcome, RouterError)]
    failed = [
        (router.name, str(outcome))
        for router, outcome in zip(targets, outcomes, strict=True)
        if isinstance(outcome, RouterError)
    ]
    return snapshots, failed
