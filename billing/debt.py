"""Debt orders: the resident pays open debt items and auto debt online through Midtrans.

The order is a Transaction of kind `debt` with no package; what it pays is fixed in `debt_plan` when it is
made, and `transaction_apply` applies it once under the order's row lock, like a purchase.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import Package, Transaction
from core.units import ceil_div
from quota.debt import DebtSummary, debt_settle_online, debt_summary
from quota.models import DebtItem, Invoice


def auto_debt_price(auto_bytes: int) -> int:
    """Auto debt in Rupiah: priced at the cheapest active quota package per byte, rounded up to
    DEBT_ROUNDING_RP (0 when there is no auto debt)."""
    if auto_bytes <= 0:
        return 0
    packages = Package.objects.filter(is_active=True, quota_bytes__gt=0).values_list("price", "quota_bytes")
    if not packages:
        raise ValidationError(
            _("No quota package is on sale to price the debt; ask the staff."), code="price"
        )
    price = min(ceil_div(auto_bytes * p, q) for p, q in packages)
    step = max(settings.DEBT_ROUNDING_RP, 1)
    return ceil_div(price, step) * step


def debt_order_quote(user: User) -> tuple[dict, int, DebtSummary]:
    """(plan, amount in Rupiah, summary) of what the resident owes now."""
    summary = debt_summary(user)
    plan = {"items": [o.item.pk for o in summary.items], "auto_bytes": summary.auto_bytes}
    return plan, summary.items_rp + auto_debt_price(summary.auto_bytes), summary


@transaction.atomic
def debt_order_create(*, user: User) -> Transaction:
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    plan, amount, summary = debt_order_quote(user)
    if not summary.has_debt or amount <= 0:
        raise ValidationError(_("You have no debt to pay."), code="nothing")
    now = timezone.now()
    return Transaction.objects.create(
        order_id=f"{settings.DEBT_ORDER_PREFIX}-{now:%y%m%d}-{secrets.token_hex(5).upper()}",
        user=user,
        kind=Transaction.Kind.DEBT,
        package=None,
        debt_plan=plan,
        amount=amount,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.MIDTRANS_EXPIRY_MINUTES),
    )


def debt_order_apply(tx: Transaction) -> Invoice:
    """Inside transaction_apply, the order locked, on its transition to PAID only."""
    return debt_settle_online(
        user=tx.user,
        plan=tx.debt_plan,
        amount_rp=tx.amount,
        reference=tx.order_id,
        method=tx.payment_type or "midtrans",
        since=tx.created_at,
    )


def debt_order_paid_twice(tx: Transaction) -> int:
    """Rupiah of the planned items that another settlement closed after the order was made (paid in cash,
    forgiven, or another debt order): the resident paid for them twice and staff refund it. Items a
    purchase paid back in bytes are not counted: debt_settle_online credits those bytes back."""
    closed_elsewhere = (
        DebtItem.objects.filter(pk__in=tx.debt_plan.get("items", []))
        .exclude(closed_how__in=["", DebtItem.Closed.PURCHASE])
        .exclude(close_reference=tx.order_id)
    )
    return sum(closed_elsewhere.values_list("price_rp", flat=True))
