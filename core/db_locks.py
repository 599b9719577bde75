"""A transaction-scoped PostgreSQL advisory lock, the one way the project serialises a critical section
across processes. On SQLite (the demo) there is nothing to take: it writes one transaction at a time."""

from django.db import connection


def advisory_xact_lock(key: int) -> None:
    """Wait for the lock `key`; it is held until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
