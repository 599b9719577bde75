"""One usage, guard or guard-refresh cycle at a time: a transaction-scoped PostgreSQL advisory lock."""

from core.db_locks import advisory_xact_lock

# pg_advisory_xact_lock key shared by the usage cycle and the quota guard ("lpsusage").
USAGE_LOCK_KEY = 0x6C7073757361


def cycles_serialise() -> None:
    """Wait for any other usage or guard cycle (or guard refresh); held until this transaction ends."""
    advisory_xact_lock(USAGE_LOCK_KEY)
