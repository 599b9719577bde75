"""Writes on billing: start a purchase, confirm a transaction with Midtrans and apply it exactly once.

Every path that may change a transaction (the notification endpoint, the finish page, reconciliation, the
admin action) goes through `transaction_confirm`: the state applied is the one the status API confirms, the
amount must match, and the row is locked while the decision of `billing.policy.transition` is applied, so
duplicates and races can only ever apply the package once.
"""

import logging
import secrets
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.alerts import staff_alert_send
from accounts.audit import audit_record
from accounts.models import User
from billing import midtrans
from billing.debt import debt_order_apply, debt_order_paid_twice
from billing.links import order_status_url, receipt_url
from billing.models import Package, Transaction, TransactionEvent
from billing.policy import Decision, midtrans_outcome, transition
from core.whatsapp import send_after_commit
from core.whatsapp import texts as messages
from quota.debt import debt_pay_from_credit, debt_summary
from quota.invoices import invoice_issue
from quota.models import Invoice, QuotaBalance, QuotaEntry
from quota.selectors import expiry_after_credit_of
from quota.services import quota_grant, quota_set_unlimited, quota_take_back

log = logging.getLogger(__name__)

# A pending transaction is reused only while the resident still has time to pay on the Snap page.
REUSE_MARGIN = timedelta(minutes=2)
NOTIFICATION_STATUS_TIMEOUT_S = 3.0


def _new_order_id(now) -> str:
    return f"{settings.MIDTRANS_ORDER_PREFIX}-{now:%y%m%d}-{secrets.token_hex(5).upper()}"


def _snap_params(tx: Transaction, user: User, *, item_id: str, item_name: str) -> dict:
    start = timezone.localtime(tx.created_at)
    return {
        "transaction_details": {"order_id": tx.order_id, "gross_amount": tx.amount},
        "item_details": [{"id": item_id, "price": tx.amount, "quantity": 1, "name": item_name[:50]}],
        "customer_details": {"first_name": user.full_name[:255], "phone": user.phone},
        "expiry": {
            "start_time": start.strftime("%Y-%m-%d %H:%M:%S %z"),
            "unit": "minute",
            "duration": settings.MIDTRANS_EXPIRY_MINUTES,
        },
        "callbacks": {"finish": order_status_url(tx.order_id, absolute=True)},
    }


def snap_order_open(*, tx: Transaction, user: User, item_id: str, item_name: str) -> Transaction:
    """Ask Snap for the payment page of an order row already committed, with no lock held, then store its
    token. When Snap fails the row is removed again (the resident never got a page to pay on) and
    midtrans.MidtransUnavailable/MidtransRejected is raised."""
    try:
        response = midtrans.snap_create(_snap_params(tx, user, item_id=item_id, item_name=item_name))
    except (midtrans.MidtransUnavailable, midtrans.MidtransRejected):
        _order_discard(order_id=tx.order_id)
        raise
    return _order_token_store(order_id=tx.order_id, response=response)


def transaction_start(*, user: User, package: Package) -> Transaction:
    """A payable Snap transaction for the user and package: an unexpired pending one is reused.

    The order row is written and committed first, then Snap is asked for the token with no lock held (a
    slow Midtrans holds up nothing else of the resident's: another purchase, a usage cycle, a login), then
    the token is stored. Raises ValidationError for an inactive package and
    midtrans.MidtransUnavailable/MidtransRejected when Snap fails; the order row is then removed again, so
    nothing is left half-created.
    """
    if package.is_unlimited and debt_summary(user).has_debt:
        raise ValidationError(
            _("Unlimited access cannot be bought while you have debt: pay the debt first."), code="debt"
        )
    tx, reused = _order_create(user=user, package=package)
    if reused:
        return tx
    return snap_order_open(tx=tx, user=user, item_id=f"PKG-{package.pk}", item_name=package.name)


@transaction.atomic
def _order_create(*, user: User, package: Package) -> tuple[Transaction, bool]:
    """(the order, whether it is a reused pending one). Committed before Snap is asked."""
    if not package.is_active:
        raise ValidationError(_("This package is no longer sold."), code="inactive")
    # One purchase start at a time per user, so a double tap reuses instead of creating two orders. NO KEY:
    # rows that only reference the user (usage entries, other orders) are not held up by this lock.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    now = timezone.now()
    reusable = (
        Transaction.objects.filter(
            user=user,
            package=package,
            amount=package.price,
            status=Transaction.Status.PENDING,
            expires_at__gt=now + REUSE_MARGIN,
        )
        .exclude(redirect_url="")
        .order_by("-created_at")
        .first()
    )
    if reusable is not None:
        return reusable, True
    tx = Transaction.objects.create(
        order_id=_new_order_id(now),
        user=user,
        package=package,
        amount=package.price,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.MIDTRANS_EXPIRY_MINUTES),
    )
    return tx, False


@transaction.atomic
def _order_discard(*, order_id: str) -> None:
    """Remove an order Snap refused or never answered for: the resident never got a page to pay on."""
    Transaction.objects.select_for_update().filter(
        order_id=order_id, status=Transaction.Status.PENDING, redirect_url=""
    ).delete()


@transaction.atomic
def _order_token_store(*, order_id: str, response: dict) -> Transaction:
    tx = (
        Transaction.objects.select_related("user", "package")
        .select_for_update(of=("self",))
        .get(order_id=order_id)
    )
    tx.snap_token = response["token"][:80]
    tx.redirect_url = response["redirect_url"][:300]
    tx.save(update_fields=["snap_token", "redirect_url"])
    TransactionEvent.objects.create(transaction=tx, source="snap", kind="created", payload=response)
    audit_record(
        actor=tx.user,
        action="billing.start",
        target_user=tx.user,
        obj=tx,
        after={
            "order_id": tx.order_id,
            "package": tx.package.name if tx.package else tx.kind,
            "amount": tx.amount,
        },
    )
    return tx


def package_expiry_preview(*, user: User, package: Package, now=None):
    """The expiry the resident's balance would have if the package were paid now (as `_package_apply`
    applies it): a quota package never shortens the validity; an unlimited one runs for its days."""
    now = now or timezone.now()
    if package.is_unlimited:
        return now + timedelta(days=package.validity_days)
    return expiry_after_credit_of(user, days=package.validity_days, now=now)


def _amount_matches(raw, amount: int) -> bool:
    try:
        return Decimal(str(raw)) == Decimal(amount)
    except (InvalidOperation, ValueError):
        return False


def _status_timeout(notification: dict | None) -> float:
    # Midtrans wants an answer within 5 s: rather answer 503 (it retries) than keep the webhook waiting.
    if notification is None:
        return settings.MIDTRANS_TIMEOUT_S
    return min(settings.MIDTRANS_TIMEOUT_S, NOTIFICATION_STATUS_TIMEOUT_S)


def _changes_nothing(current: str, notification: dict) -> bool:
    claimed = midtrans_outcome(
        notification.get("transaction_status", ""), notification.get("fraud_status", "")
    )
    decision = transition(current=current, outcome=claimed, within_grace=True)
    return decision.status == current and not decision.apply_package and not decision.needs_review


def transaction_confirm(*, order_id: str, source: str, notification: dict | None = None) -> str:
    """Ask the status API about the order and apply what it confirms. Safe to call any number of times.

    Returns the outcome: "applied", "unknown_order", "unavailable", "unknown_at_midtrans" or
    "amount_mismatch".
    """
    row = Transaction.objects.filter(order_id=order_id).values_list("pk", "amount", "status").first()
    if row is None:
        return "unknown_order"
    tx_id, expected_amount, current = row
    received = {"notification": notification} if notification is not None else {}
    claimed = str((notification or {}).get("transaction_status", ""))[:30]

    def event(kind: str) -> None:
        TransactionEvent.objects.create(
            transaction_id=tx_id, source=source, kind=kind, status=claimed, payload=received
        )

    if notification is not None and not _amount_matches(notification.get("gross_amount"), expected_amount):
        event("amount_mismatch")
        return "amount_mismatch"
    if notification is not None and _changes_nothing(current, notification):
        # A signed claim that could not change anything (a duplicate, or `pending` after `settlement`)
        # needs no confirmation: recording it is all there is to do.
        event("unchanged")
        return "applied"
    try:
        confirmed = midtrans.status_fetch(order_id, timeout=_status_timeout(notification))
    except midtrans.MidtransUnavailable as exc:
        log.warning("Midtrans status API unavailable for %s: %s", order_id, exc)
        event("status_unavailable")
        return "unavailable"
    if confirmed is None:
        event("unknown_at_midtrans")
        return "unknown_at_midtrans"
    received["confirmed"] = confirmed
    if str(confirmed.get("order_id", order_id)) != order_id or not _amount_matches(
        confirmed.get("gross_amount"), expected_amount
    ):
        event("amount_mismatch")
        return "amount_mismatch"
    transaction_apply(order_id=order_id, source=source, received=received)
    return "applied"


MUTABLE_FIELDS = (
    "status",
    "midtrans_status",
    "fraud_status",
    "payment_type",
    "midtrans_transaction_id",
    "paid_at",
    "needs_review",
)


@transaction.atomic
def transaction_apply(*, order_id: str, source: str, received: dict) -> Transaction:
    """Record the confirmed Midtrans state under the row lock; pay the package at most once."""
    tx = (
        Transaction.objects.select_related("package", "user")
        .select_for_update(of=("self",))
        .get(order_id=order_id)
    )
    confirmed = received["confirmed"]
    now = timezone.now()
    grace = timedelta(minutes=settings.MIDTRANS_LATE_GRACE_MINUTES)
    outcome = midtrans_outcome(confirmed.get("transaction_status", ""), confirmed.get("fraud_status", ""))
    decision = transition(current=tx.status, outcome=outcome, within_grace=now <= tx.expires_at + grace)
    TransactionEvent.objects.create(
        transaction=tx,
        source=source,
        kind="status",
        status=str(confirmed.get("transaction_status", ""))[:30],
        payload={**received, "decision": decision.note},
    )
    before = {"status": tx.status, "needs_review": tx.needs_review}
    stored_before = [getattr(tx, name) for name in MUTABLE_FIELDS]
    if decision.status != tx.status or outcome == tx.status:
        tx.midtrans_status = str(confirmed.get("transaction_status", ""))[:30]
        tx.fraud_status = str(confirmed.get("fraud_status", ""))[:20]
        tx.payment_type = str(confirmed.get("payment_type", tx.payment_type))[:40]
        tx.midtrans_transaction_id = str(confirmed.get("transaction_id", tx.midtrans_transaction_id))[:64]
    tx.status = decision.status
    if decision.apply_package:
        tx.paid_at = now
        if tx.kind == Transaction.Kind.DEBT:
            if _debt_apply(tx):
                decision = replace(decision, needs_review=True, note=PAID_TWICE)
        else:
            _package_apply(tx)
    if decision.needs_review and not tx.needs_review:
        tx.needs_review = True
        _staff_alert(tx, decision, reported=str(confirmed.get("transaction_status", ""))[:30])
    changed = [
        name for name, old in zip(MUTABLE_FIELDS, stored_before, strict=True) if getattr(tx, name) != old
    ]
    if changed:  # duplicates, the common case, write only their event
        tx.save(update_fields=changed)
    after = {"status": tx.status, "needs_review": tx.needs_review}
    if after != before:
        audit_record(
            actor=None,
            action=f"billing.{tx.status.lower()}",
            target_user=tx.user,
            obj=tx,
            before=before,
            after=after,
            reason=decision.note,
        )
    return tx


def _package_apply(tx: Transaction) -> None:
    package, user = tx.package, tx.user
    reason = _("Package %(package)s, order %(order)s") % {"package": package.name, "order": tx.order_id}
    if package.is_unlimited:
        # Guarded by the locked transaction status: this runs only on the transition to PAID.
        balance = quota_set_unlimited(
            user=user,
            unlimited=True,
            days=package.validity_days,
            actor=None,
            reason=reason,
            rate_tier=package.rate_tier or None,
        )
        expires_at = balance.expires_at
    else:
        quota_grant(
            user=user,
            amount_bytes=package.quota_bytes,
            days=package.validity_days,
            kind=QuotaEntry.Kind.PURCHASE,
            idempotency_key=f"order:{tx.order_id}",
            reference=tx.order_id,
            rate_tier=package.rate_tier or None,
            actor=None,
            reason=reason,
        )
        # Auto debt is paid first by the credit itself (the balance was negative); then the oldest items.
        debt_pay_from_credit(
            user=user, credited_bytes=package.quota_bytes, key=f"order:{tx.order_id}", reference=tx.order_id
        )
        # The later of the expiry before and now + the package's days: read what quota_grant stored.
        expires_at = QuotaBalance.objects.get(user_id=user.pk).expires_at
    invoice = invoice_issue(
        user=user,
        kind=Invoice.Kind.PURCHASE,
        reference=tx.order_id,
        description=_("Package %(package)s") % {"package": package.name},
        quota_bytes=package.quota_bytes,
        amount_rp=tx.amount,
        method=tx.payment_type or "midtrans",
        paid_at=tx.paid_at,
    )
    send_after_commit(
        phone=user.phone,
        text=messages.payment_receipt(
            order_id=tx.order_id,
            package=package.name,
            amount=tx.amount,
            quota_bytes=package.quota_bytes,
            expires_at=expires_at,
        )
        + "\n"
        + messages.receipt_link(number=invoice.number, url=receipt_url(invoice.number, absolute=True)),
    )


def _debt_apply(tx: Transaction) -> int:
    """Returns the Rupiah paid for items already settled another way (0 when none): staff refund it."""
    invoice = debt_order_apply(tx)
    send_after_commit(
        phone=tx.user.phone,
        text=messages.debt_settled(order_id=tx.order_id, amount=tx.amount)
        + "\n"
        + messages.receipt_link(number=invoice.number, url=receipt_url(invoice.number, absolute=True)),
    )
    return debt_order_paid_twice(tx)


PAID_TWICE = "paid for debt already settled"

# The policy's notes (kept in English in events and audit rows) as staff read them in an alert.
REVIEW_REASONS = {
    "refund before payment was recorded": gettext_lazy("refunded before the payment was recorded"),
    "reversed after payment": gettext_lazy("cancelled after payment"),
    "paid after the grace period": gettext_lazy("paid after the grace period"),
    "paid after it was closed": gettext_lazy("paid after the order was closed"),
    PAID_TWICE: gettext_lazy(
        "paid online for debt that was already settled (in cash, forgiven or by another order): refund it"
    ),
}


def _staff_alert(tx: Transaction, decision: Decision, *, reported: str) -> None:
    """`reported`: the state Midtrans confirmed, which an older recorded status may not show."""
    text = messages.payment_needs_review(
        order_id=tx.order_id,
        user=str(tx.user),
        status=reported or tx.midtrans_status or tx.status,
        note=str(REVIEW_REASONS.get(decision.note, decision.note)),
    )
    staff_alert_send(text=text)


@transaction.atomic
def transaction_expire(*, order_id: str) -> Transaction:
    """Close a pending transaction locally once Midtrans can no longer take its payment."""
    tx = Transaction.objects.select_for_update().get(order_id=order_id)
    if tx.status != Transaction.Status.PENDING:
        return tx
    tx.status = Transaction.Status.EXPIRED
    tx.save(update_fields=["status"])
    TransactionEvent.objects.create(
        transaction=tx, source="reconcile", kind="expired_locally", status="expire"
    )
    audit_record(
        actor=None,
        action="billing.expired",
        target_user=tx.user,
        obj=tx,
        before={"status": "PENDING"},
        after={"status": "EXPIRED"},
    )
    return tx


def transaction_reconcile(*, order_id: str, source: str = "reconcile", now=None) -> str:
    """Confirm one transaction with Midtrans; expire it when it can no longer be paid. Returns the outcome."""
    now = now or timezone.now()
    outcome = transaction_confirm(order_id=order_id, source=source)
    if outcome in ("unavailable", "amount_mismatch"):
        return outcome
    tx = Transaction.objects.get(order_id=order_id)
    grace = timedelta(minutes=settings.MIDTRANS_LATE_GRACE_MINUTES)
    # Unknown at Midtrans after expiry: no payment method was chosen and the Snap page is dead.
    # Still pending at Midtrans past expiry and grace: stop waiting; a late settlement goes to review.
    if tx.status == Transaction.Status.PENDING and (
        (outcome == "unknown_at_midtrans" and now > tx.expires_at)
        or (outcome == "applied" and now > tx.expires_at + grace)
    ):
        transaction_expire(order_id=order_id)
        return "expired"
    return tx.status.lower() if outcome == "applied" else outcome


def pending_reconcile(*, min_age=timedelta(minutes=1), limit: int = 200, now=None) -> dict[str, int]:
    """Check pending transactions older than `min_age` with the status API. Returns counts per outcome;
    the run stops at the first order Midtrans cannot answer for ("skipped" counts the rest)."""
    now = now or timezone.now()
    order_ids = list(
        Transaction.objects.filter(status=Transaction.Status.PENDING, created_at__lte=now - min_age)
        .order_by("created_at")
        .values_list("order_id", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for order_id in order_ids:
        outcome = transaction_reconcile(order_id=order_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "unavailable":
            # Midtrans is down or hanging: every further order would wait out the timeout too, and the
            # task would be killed long before the end of the list. The next run picks them all up.
            counts["skipped"] = len(order_ids) - sum(counts.values())
            break
    return {outcome: n for outcome, n in counts.items() if n}


@transaction.atomic
def transaction_review_close(*, order_id: str, actor: User) -> Transaction:
    """Staff have decided about a flagged transaction (in the ledger, if quota had to change)."""
    tx = Transaction.objects.select_for_update().get(order_id=order_id)
    if not tx.needs_review:
        return tx
    tx.needs_review = False
    tx.save(update_fields=["needs_review"])
    audit_record(
        actor=actor,
        action="billing.review_closed",
        target_user=tx.user,
        obj=tx,
        before={"needs_review": True},
        after={"needs_review": False},
    )
    return tx


# A payment reversed after it was applied: the states from which staff may take its quota back.
REVERSED_AFTER_PAYMENT = (
    Transaction.Status.REFUNDED,
    Transaction.Status.FAILED,
    Transaction.Status.CANCELLED,
)


def take_back_refusal(tx: Transaction) -> str | None:
    """Why the quota of this order cannot be taken back (None when it can)."""
    if not tx.needs_review:
        return _("This order is not waiting for review.")
    if tx.paid_at is None or tx.status not in REVERSED_AFTER_PAYMENT:
        return _("This order gave no quota that was reversed afterwards: there is nothing to take back.")
    return None


@transaction.atomic
def transaction_quota_take_back(*, order_id: str, actor: User) -> QuotaEntry:
    """Take back what a payment reversed after it was applied gave (at most what remains; unlimited access
    ends), tell the resident, and close the review. Once: a repeat or a race is refused with a message."""
    tx = (
        Transaction.objects.select_related("package", "user")
        .select_for_update(of=("self",))
        .get(order_id=order_id)
    )
    refusal = take_back_refusal(tx)
    if tx.kind == Transaction.Kind.DEBT:
        refusal = _("A debt settlement gave no package: there is nothing to take back.")
    if refusal:
        raise ValidationError(refusal, code="not_reversible")
    package, user = tx.package, tx.user
    entry = quota_take_back(
        user=user,
        amount_bytes=package.quota_bytes,
        end_unlimited=package.is_unlimited,
        idempotency_key=f"takeback:{tx.order_id}",
        actor=actor,
        reason=_("Reversed payment, order %(order)s") % {"order": tx.order_id},
        reference=tx.order_id,
    )
    tx.needs_review = False
    tx.save(update_fields=["needs_review"])
    TransactionEvent.objects.create(
        transaction=tx, source="admin", kind="quota_taken_back", payload={"bytes": -entry.amount_bytes}
    )
    audit_record(
        actor=actor,
        action="billing.quota_taken_back",
        target_user=user,
        obj=tx,
        before={"needs_review": True},
        after={"needs_review": False, "taken_back_bytes": -entry.amount_bytes},
    )
    remaining = QuotaBalance.objects.get(user_id=user.pk).remaining_bytes
    send_after_commit(
        phone=user.phone,
        text=messages.payment_quota_taken_back(
            order_id=tx.order_id,
            package=package.name,
            amount_bytes=-entry.amount_bytes,
            unlimited_ended=package.is_unlimited,
            remaining_bytes=remaining,
        ),
    )
    return entry
