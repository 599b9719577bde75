"""The Flask database, read once over a read-only connection in one consistent snapshot."""

from __future__ import annotations

import contextlib

import psycopg
from psycopg.rows import dict_row

TABLES = {
    "packages": "SELECT * FROM packages ORDER BY created_at, id",
    "users": "SELECT * FROM users ORDER BY created_at, id",
    "user_devices": "SELECT * FROM user_devices ORDER BY first_seen_at, id",
    "transactions": "SELECT * FROM transactions ORDER BY created_at, id",
    "transaction_events": "SELECT * FROM transaction_events ORDER BY created_at, id",
    "quota_requests": "SELECT * FROM quota_requests ORDER BY created_at, id",
    "user_quota_debts": "SELECT * FROM user_quota_debts WHERE NOT is_paid ORDER BY created_at, id",
}
ACTION_SUMMARY = "SELECT action_type, count(*) AS n FROM admin_action_logs GROUP BY action_type ORDER BY 1"
# Remaining bytes on the Flask side, computed by PostgreSQL with the same rule (round() on numeric is
# half away from zero, the same as half up for the non-negative values imported).
REMAINING_SQL = (
    "SELECT coalesce(sum(total_quota_purchased_mb * 1048576 - round(total_quota_used_mb * 1048576)), 0) "
    "FROM users WHERE id = ANY(%s)"
)


@contextlib.contextmanager
def source_open(url: str):
    """A connection that cannot write: every statement runs in one REPEATABLE READ, READ ONLY
    transaction, rolled back at the end."""
    with psycopg.connect(url, row_factory=dict_row, connect_timeout=10) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            yield conn
        finally:
            conn.rollback()


def source_read(conn) -> dict[str, list[dict]]:
    return {table: conn.execute(sql).fetchall() for table, sql in TABLES.items()}


def action_summary(conn) -> dict[str, int]:
    return {row["action_type"]: row["n"] for row in conn.execute(ACTION_SUMMARY).fetchall()}


def remaining_bytes(conn, user_ids) -> int:
    row = conn.execute(REMAINING_SQL, [list(user_ids)]).fetchone()
    return int(next(iter(row.values())))
