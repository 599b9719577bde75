"""Packages, transactions with their events, Komandan requests and open debt items (history and revenue
charts continue from the Flask data)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit_labels import IMPORT_DEBT_REASON
from accounts.models import User
from billing.debt import auto_debt_price
from billing.models import Package, Transaction, TransactionEvent
from lpsaring.takeover import mapping
from lpsaring.takeover.write import BATCH, Context, _new_rows
from quota.debt import open_price_rp
from quota.models import DebtItem, QuotaEntry, QuotaRequest


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
    """Each open Flask debt item becomes a DebtItem for what is still open of it. Flask credited its quota
    when the debt was given, so the credit is already in the opening balance: the item's ledger entry is a
    zero-byte `debt` entry keyed `import:debt:<flask id>`. A partly paid item carries the open megabytes and
    its price in proportion (rounded up); an item without a price is priced as auto debt is (the cheapest
    package per byte, rounded up to DEBT_ROUNDING_RP). Due: Flask's due date, else the end of the month
    the debt was given."""
    users = ctx.known("users")
    owners = dict(
        User.objects.filter(
            pk__in=[users[str(r["user_id"])] for r in rows if str(r["user_id"]) in users]
        ).values_list("pk", "role")
    )
    accepted = []
    fresh = _new_rows(ctx, "user_quota_debts", rows)
    # Created in the order Flask pays items back (debt date, then creation), which the ids keep here.
    fresh.sort(key=lambda r: (r["debt_date"] is None, r["debt_date"] or date.min, r["created_at"]))
    for row in fresh:
        user_id = users.get(str(row["user_id"]))
        amount_mb, paid_mb = int(row["amount_mb"] or 0), int(row["paid_mb"] or 0)
        open_bytes = mapping.mb_to_bytes(max(amount_mb - paid_mb, 0))
        reason, detail = "", str(row["user_id"])
        if user_id is None:
            reason = "owner_not_imported"
        elif owners.get(user_id) != User.Role.USER:
            reason = "owner_not_resident"  # Flask counts no debt for a Komandan either
        elif open_bytes <= 0:
            reason, detail = "nothing_open", f"{amount_mb} MB, {paid_mb} MB paid"
        else:
            try:
                price = _open_price(row, amount_mb=amount_mb, open_bytes=open_bytes)
            except ValidationError:
                reason, detail = "no_price", "no price and no quota package on sale to price it"
        if reason:
            ctx.report.reject("user_quota_debts", row["id"], reason, detail)
            continue
        note = str(row["note"] or "").strip()
        accepted.append(
            (
                row,
                QuotaEntry(
                    user_id=user_id,
                    kind="debt",
                    amount_bytes=0,
                    idempotency_key=f"import:debt:{row['id']}",
                    reference=f"flask-debt:{row['id']}"[:120],
                    reason=IMPORT_DEBT_REASON,
                ),
                DebtItem(
                    user_id=user_id,
                    amount_bytes=open_bytes,
                    price_rp=price,
                    due_date=_due_date(row),
                    note=note[:255],
                    created_at=row["created_at"] or timezone.now(),
                ),
            )
        )
    QuotaEntry.objects.bulk_create([e for _, e, _ in accepted], batch_size=BATCH)
    for _, entry, item in accepted:
        item.entry = entry
    DebtItem.objects.bulk_create([i for _, _, i in accepted], batch_size=BATCH)
    ctx.record("user_quota_debts", "quota.debtitem", [(str(r["id"]), i.pk) for r, _, i in accepted])


def _open_price(row: dict, *, amount_mb: int, open_bytes: int) -> int:
    price = int(row["price_rp"] or 0)
    if price <= 0:
        return auto_debt_price(open_bytes)
    return open_price_rp(price_rp=price, open_bytes=open_bytes, amount_bytes=mapping.mb_to_bytes(amount_mb))


def _due_date(row: dict) -> date:
    if row["due_date"]:
        return row["due_date"]
    given = row["debt_date"] or timezone.localdate(row["created_at"] or timezone.now())
    return given.replace(day=calendar.monthrange(given.year, given.month)[1])
