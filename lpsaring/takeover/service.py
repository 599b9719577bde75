"""`lpsaring_import`: the whole import, phase by phase (see the package docstring)."""

from __future__ import annotations

from django.db import transaction

from accounts.audit import audit_record
from lpsaring.takeover import history, read, write
from lpsaring.takeover.report import ImportReport
from quota.models import QuotaBalance


class _DryRun(Exception):
    pass


def _remaining_ours(ctx: write.Context) -> int:
    user_ids = list(ctx.known("users").values())
    return sum(b.remaining_bytes for b in QuotaBalance.objects.filter(user_id__in=user_ids))


def lpsaring_import(*, source_url: str, site, dry_run: bool = False) -> ImportReport:
    """Read the Flask database at `source_url` (read-only) and write what is new here; a dry run does the
    same inside a transaction it rolls back. Rows it cannot take are in the report with their reason."""
    report = ImportReport(dry_run=dry_run)
    with read.source_open(source_url) as conn:
        rows = read.source_read(conn)
        report.actions = read.action_summary(conn)
        try:
            with transaction.atomic():
                ctx = write.Context(site=site, report=report)
                history.packages_write(ctx, rows["packages"])
                write.users_write(ctx, rows["users"])
                write.devices_write(ctx, rows["user_devices"])
                history.transactions_write(ctx, rows["transactions"], rows["transaction_events"])
                history.requests_write(ctx, rows["quota_requests"])
                history.debts_write(ctx, rows["user_quota_debts"])
                taken = [fid for fid in ctx.known("users") if fid in {str(r["id"]) for r in rows["users"]}]
                resident_ids = {str(r["id"]) for r in rows["users"] if str(r["role"]) in ("USER", "KOMANDAN")}
                report.remaining_flask = read.remaining_bytes(conn, [f for f in taken if f in resident_ids])
                report.remaining_ours = _remaining_ours(ctx)
                audit_record(
                    actor=None,
                    action="import.lpsaring",
                    after={
                        "imported": dict(report.imported),
                        "rejected": len(report.rejected),
                        "admin_actions": report.actions,
                    },
                    reason=f"site {site.code}",
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return report
