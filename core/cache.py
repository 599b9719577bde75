"""The cache: django-redis, and a PostgreSQL table while Redis cannot be reached.

What the cache holds here is small and must stay strict: the rate-limit counters of the login-code
requests, the global hourly send budget and the one-time marks of "open in the main browser" links. When
Redis fails, every call goes to `core_cache_fallback` instead, with the same atomic add and incr (one SQL
statement each, PostgreSQL's clock for expiry), so the per-number, per-device and global budgets still
hold and residents can still log in at night. After a failure Redis is tried again every
REDIS_RETRY_AFTER_S seconds; the first call that works switches back, without a restart. Counts do not
move between the two stores: across one switch a bucket can at most count from zero once more (README,
"When a part fails"). The first failure in each outage sends `cache_degraded`; accounts alerts the staff.
"""

import logging
import pickle
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connection
from django.dispatch import Signal
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

REDIS_RETRY_AFTER_S = 5.0
FAR_FUTURE_S = 10 * 365 * 86400
TABLE = "core_cache_fallback"

# Sent once per outage (per process) when Redis first fails; receivers must not raise.
cache_degraded = Signal()

_REDIS_DOWN = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)
_state = {"down_until": 0.0, "down": False}
_state_lock = threading.Lock()


def redis_is_down() -> bool:
    """What this process last saw of Redis (for /healthz)."""
    return _state["down"]


def _mark_down() -> None:
    with _state_lock:
        first = not _state["down"]
        _state["down"] = True
        _state["down_until"] = time.monotonic() + REDIS_RETRY_AFTER_S
    if first:
        log.error("Redis unreachable: the cache and rate limits use PostgreSQL until it returns")
        cache_degraded.send_robust(sender=FailoverRedisCache)


def _mark_up() -> None:
    if _state["down"]:
        with _state_lock:
            _state["down"] = False
        log.warning("Redis is back: the cache and rate limits use it again")


class FailoverRedisCache(RedisCache):
    def _seconds(self, timeout) -> float:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return FAR_FUTURE_S if timeout is None else max(0.0, float(timeout))

    def _try(self, name, *args, **kwargs):
        """(True, result) from Redis, or (False, None) when it is down (now or a moment ago)."""
        if _state["down"] and time.monotonic() < _state["down_until"]:
            return False, None
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except _REDIS_DOWN:
            _mark_down()
            return False, None
        _mark_up()
        return True, result

    def ping(self) -> bool:
        """Ask Redis itself (never the fallback): True when it answers."""
        try:
            self.client.get_client(write=True).ping()
        except _REDIS_DOWN:
            _mark_down()
            return False
        _mark_up()
        return True

    # --- the operations the project uses; the fallback keeps their meaning -----------------------------

    def _fallback_store(self, key, value, timeout, version, *, only_if_expired: bool) -> bool:
        """Write `value` under `key` in the PostgreSQL table; with `only_if_expired`, only where no live
        value is stored (add). True when it was written."""
        number, blob = _split(value)
        condition = f" WHERE {TABLE}.expires_at <= now()" if only_if_expired else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (key, number, blob, expires_at) "
                "VALUES (%s, %s, %s, now() + make_interval(secs => %s)) "
                "ON CONFLICT (key) DO UPDATE SET number = EXCLUDED.number, blob = EXCLUDED.blob, "
                f"expires_at = EXCLUDED.expires_at{condition}",
                [self.make_and_validate_key(key, version), number, blob, self._seconds(timeout)],
            )
            return cursor.rowcount == 1

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        ok, result = self._try("add", key, value, timeout=timeout, version=version)
        if ok:
            return result
        return self._fallback_store(key, value, timeout, version, only_if_expired=True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        ok, result = self._try("set", key, value, timeout=timeout, version=version, **kwargs)
        if ok:
            return result
        self._fallback_store(key, value, timeout, version, only_if_expired=False)
        return True

    def get(self, key, default=None, version=None, **kwargs):
        ok, result = self._try("get", key, default=default, version=version, **kwargs)
        if ok:
            return result
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number, blob FROM {TABLE} WHERE key = %s AND expires_at > now()",
                [self.make_and_validate_key(key, version)],
            )
            row = cursor.fetchone()
        if row is None:
            return default
        return row[0] if row[0] is not None else pickle.loads(bytes(row[1]))

    def incr(self, key, delta=1, version=None, **kwargs):
        ok, result = self._try("incr", key, delta=delta, version=version, **kwargs)
        if ok:
            return result
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET number = number + %s "
                "WHERE key = %s AND expires_at > now() AND number IS NOT NULL RETURNING number",
                [delta, self.make_and_validate_key(key, version)],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

    def delete(self, key, version=None, **kwargs):
        ok, result = self._try("delete", key, version=version, **kwargs)
        if ok:
            return result
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s", [self.make_and_validate_key(key, version)])
            return cursor.rowcount == 1


def _split(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def fallback_purge() -> int:
    """Delete expired fallback rows (a schedule); the number deleted. Only PostgreSQL holds them: the
    fallback belongs to the Redis cache, which the demo on SQLite does not use."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE expires_at <= now()")
        return cursor.rowcount
