"""One usage, guard or guard-refresh cycle at a time: a transaction-scoped PostgreSQL advisory lock."""

from django.db import connection

# pg_advisory_xact_lock key shared by the usage cycle and the quota guard ("lpsusage").
USAGE_LOCK_KEY = 0x6C7073757361


def cycles_serialise() -> None:
    """Wait for any other usage or guard cycle (or guard refresh); held until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [USAGE_LOCK_KEY])
