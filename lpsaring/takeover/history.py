"""Packages, transactions with their events, Komandan requests and open debt items (history and revenue
charts continue from the Flask data)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from billing.models import Package, Transaction, TransactionEvent
from lpsaring.takeover import mapping
from lpsaring.takeover.write import BATCH, Context, _new_rows
from quota.models import QuotaEntry, QuotaRequest

DEBT_NOTE = "Open debt carried from the previous system: {mb} MB, Rp {price}, due {due}. {note}"


@transaction.atomic
def packages_write(ctx: Context, rows: list[dict]) -> None:
    existing = dict(Package.objects.values_list("name", "pk"))
    accepted = []
    for row in _new_rows(ctx, "packages", rows):
        name = str(row["name"])[:80]
        if int(row["price"] or 0) <= 0:
            ctx.report.reject("packages", row["id"], "price_not_positive", str(row["price"]))
            continue
        if name in existing:  # the same package set up here already: link to it
            accepted.append((row, Package(pk=existing[name])))
            continue
        accepted.append(
            (
                row,
                Package(
                    name=name,
                    price=int(row["price"]),
                    quota_bytes=mapping.gb_to_bytes(row["data_quota_gb"]),
                    validity_days=max(int(row["duration_days"] or 30), 1),
                    is_active=bool(row["is_active"]),
                ),
            )
        )
    Package.objects.bulk_create([p for _, p in accepted if p.pk is None], batch_size=BATCH)
    ctx.record("packages", "billing.package", [(str(r["id"]), p.pk) for r, p in accepted])


@transaction.atomic
def transactions_write(ctx: Context, rows: list[dict], events: list[dict]) -> None:
    users, packages = ctx.known("users"), ctx.known("packages")
    taken = set(Transaction.objects.values_list("order_id", flat=True))
    accepted = []
    for row in _new_rows(ctx, "transactions", rows):
        user_id, package_id = users.get(str(row["user_id"])), packages.get(str(row["package_id"]))
        reason = (
            "no_user"
            if row["user_id"] is None
            else "owner_not_imported"
            if user_id is None
            else "no_package"
            if row["package_id"] is None  # a Flask debt payment: no package here
            else "package_not_imported"
            if package_id is None
            else "amount_not_positive"
            if int(row["amount"] or 0) <= 0
            else "order_id_exists"
            if row["midtrans_order_id"] in taken
            else ""
        )
        if reason:
            ctx.report.reject("transactions", row["id"], reason, str(row["midtrans_order_id"]))
            continue
        status = mapping.TRANSACTION_STATUS.get(str(row["status"]), "PENDING")
        created = row["created_at"]
        accepted.append(
            (
                row,
                Transaction(
                    order_id=str(row["midtrans_order_id"])[:64],
                    user_id=user_id,
                    package_id=package_id,
                    amount=int(row["amount"]),
                    status=status,
                    payment_type=str(row["payment_method"] or "")[:40],
                    midtrans_transaction_id=str(row["midtrans_transaction_id"] or "")[:64],
                    midtrans_status=str(row["status"]).lower()[:30],
                    created_at=created,
                    expires_at=row["expiry_time"] or created + timedelta(minutes=15),
                    paid_at=row["payment_time"] if status == "PAID" else None,
                ),
            )
        )
    Transaction.objects.bulk_create([t for _, t in accepted], batch_size=BATCH)
    ctx.record("transactions", "billing.transaction", [(str(r["id"]), t.pk) for r, t in accepted])
    known = ctx.known("transactions")
    fresh = []
    for row in _new_rows(ctx, "transaction_events", events):
        txn = known.get(str(row["transaction_id"]))
        if txn is None:
            ctx.report.reject(
                "transaction_events", row["id"], "transaction_not_imported", str(row["transaction_id"])
            )
            continue
        fresh.append(
            (
                row,
                TransactionEvent(
                    transaction_id=txn,
                    created_at=row["created_at"],
                    source=str(row["source"])[:20],
                    kind=str(row["event_type"])[:40],
                    status=str(row["status"] or "")[:30],
                    payload=mapping.json_details(row["payload"]),
                ),
            )
        )
    TransactionEvent.objects.bulk_create([e for _, e in fresh], batch_size=BATCH)
    ctx.record("transaction_events", "billing.transactionevent", [(str(r["id"]), e.pk) for r, e in fresh])


@transaction.atomic
def requests_write(ctx: Context, rows: list[dict]) -> None:
    users = ctx.known("users")
    pending = set(QuotaRequest.objects.filter(status="PENDING").values_list("requester_id", flat=True))
    accepted = []
    for row in _new_rows(ctx, "quota_requests", rows):
        user_id = users.get(str(row["requester_id"]))
        if user_id is None:
            ctx.report.reject("quota_requests", row["id"], "owner_not_imported", str(row["requester_id"]))
            continue
        try:
            amount, days = mapping.request_amounts(mapping.json_details(row["request_details"]))
            granted, granted_days = mapping.request_amounts(mapping.json_details(row["granted_details"]))
        except mapping.Rejected as exc:
            ctx.report.reject("quota_requests", row["id"], exc.reason, exc.detail)
            continue
        status = str(row["status"])
        if status == "PENDING":
            if user_id in pending:
                ctx.report.reject("quota_requests", row["id"], "second_pending_request", "")
                continue
            pending.add(user_id)
        if status == "APPROVED" and not granted:
            granted, granted_days = amount, days
        accepted.append(
            (
                row,
                QuotaRequest(
                    requester_id=user_id,
                    kind="UNLIMITED" if row["request_type"] == "UNLIMITED" else "QUOTA",
                    requested_bytes=amount,
                    requested_days=days,
                    status=status if status in QuotaRequest.Status.values else "REJECTED",
                    granted_bytes=granted,
                    granted_days=granted_days,
                    reason=str(row["rejection_reason"] or "")[:255],
                    processed_at=row["processed_at"],
                    created_at=row["created_at"],
                ),
            )
        )
    QuotaRequest.objects.bulk_create([q for _, q in accepted], batch_size=BATCH)
    ctx.record("quota_requests", "quota.quotarequest", [(str(r["id"]), q.pk) for r, q in accepted])


@transaction.atomic
def debts_write(ctx: Context, rows: list[dict]) -> None:
    """No debt model exists on this branch: each open Flask debt item becomes a zero-byte ledger note
    keyed `import:debt:<flask id>` on the resident, so staff see it in the ledger and can act on it."""
    users = ctx.known("users")
    accepted = []
    for row in _new_rows(ctx, "user_quota_debts", rows):
        user_id = users.get(str(row["user_id"]))
        if user_id is None:
            ctx.report.reject("user_quota_debts", row["id"], "owner_not_imported", str(row["user_id"]))
            continue
        open_mb = max(int(row["amount_mb"] or 0) - int(row["paid_mb"] or 0), 0)
        reason = DEBT_NOTE.format(
            mb=open_mb, price=row["price_rp"] or 0, due=row["due_date"], note=row["note"] or ""
        )
        accepted.append(
            (
                row,
                QuotaEntry(
                    user_id=user_id,
                    kind="adjust",
                    amount_bytes=0,
                    idempotency_key=f"import:debt:{row['id']}",
                    reference=f"flask-debt:{row['id']}"[:120],
                    reason=reason[:255],
                ),
            )
        )
    QuotaEntry.objects.bulk_create([e for _, e in accepted], batch_size=BATCH)
    ctx.record("user_quota_debts", "quota.quotaentry", [(str(r["id"]), e.pk) for r, e in accepted])
