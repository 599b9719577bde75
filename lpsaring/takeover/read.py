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
REMAINING_SQL = """
SELECT coalesce(sum(p - u + CASE WHEN role = 'USER' AND NOT is_unlimited_user
                                 THEN least(o, greatest(u - p, 0)) ELSE 0 END), 0)
FROM (SELECT role, is_unlimited_user, total_quota_purchased_mb * 1048576 AS p,
             round(total_quota_used_mb * 1048576) AS u, {offset} * 1048576 AS o
      FROM users WHERE id = ANY(%s)) AS taken
"""


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
    """The residents' remaining bytes, with the auto debt Flask settled counted as paid (the same rule
    as mapping.settled_auto_debt). Databases from before February 2026 have no offset column."""
    has_offset = conn.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = %s",
        ["auto_debt_offset_mb"],
    ).fetchone()
    sql = REMAINING_SQL.format(offset="auto_debt_offset_mb" if has_offset else "0")
    row = conn.execute(sql, [list(user_ids)]).fetchone()
    return int(next(iter(row.values())))
