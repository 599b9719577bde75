"""Reading counters: one snapshot per reachable router, outside any transaction."""

import logging

from routers.client import RouterError
from routers.counters import counters_read
from routers.selectors import routers_enabled

logger = logging.getLogger(__name__)


def snapshots_read(*, routers=None, queue_names=None, with_hosts: bool = False, now=None):
    """One snapshot per reachable router, and the (name, error) of those that failed.

    A router that fails keeps its last samples, so its usage is counted by the next cycle that reads it.
    """
    snapshots, failed = [], []
    for router in routers if routers is not None else routers_enabled():
        try:
            snapshots.append(
                counters_read(
                    router, queue_names=queue_names, with_hosts=with_hosts, now=now() if now else None
                )
            )
        except RouterError as exc:
            logger.warning("usage: router %s not read: %s", router.name, exc)
            failed.append((router.name, str(exc)))
    return snapshots, failed
