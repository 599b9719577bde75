"""One writer per router: a converge holds its router's lock from the read to the last write.

PostgreSQL session advisory locks keyed by the router's id, so every process on every machine (web,
workers, the guard) sees the same lock, and a process that dies releases it with its connection. The
waiting side polls for a bounded time, then leaves the work to the holder (its run is recorded as busy,
and the next reconcile catches up): two runs never write to one router at once. Other databases (the
SQLite demo) get a lock per process.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from django.db import connection

ROUTER_LOCK_NAMESPACE = 0x6C7072  # "lpr": the first key of pg_try_advisory_lock(int, int)
POLL_S = 0.05

_local_locks: dict[int, threading.Lock] = {}
_local_guard = threading.Lock()


def _try_postgres(router_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ROUTER_LOCK_NAMESPACE, router_id])
        return bool(cursor.fetchone()[0])


def _release_postgres(router_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ROUTER_LOCK_NAMESPACE, router_id])


@contextlib.contextmanager
def router_writer(router_id: int, *, wait_s: float) -> Iterator[bool]:
    """Yield True while holding the router's writer lock, or False when another run held it throughout
    `wait_s` seconds (then nothing may be written)."""
    deadline = time.monotonic() + wait_s
    if connection.vendor != "postgresql":
        with _local_guard:
            lock = _local_locks.setdefault(router_id, threading.Lock())
        held = lock.acquire(timeout=max(wait_s, 0))
        try:
            yield held
        finally:
            if held:
                lock.release()
        return
    held = _try_postgres(router_id)
    while not held and time.monotonic() < deadline:
        time.sleep(POLL_S)
        held = _try_postgres(router_id)
    try:
        yield held
    finally:
        if held:
            _release_postgres(router_id)
