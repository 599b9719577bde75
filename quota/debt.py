"""Debt: quota granted on credit, auto debt (usage beyond what was credited), and paying it back.

All of it is read from the ledger (see quota.models_debt): a `debt` entry per grant on credit with its
DebtItem, `debt_pay` entries where a purchase paid an item back in bytes, `settle` credits where money
paid auto debt. Writes lock the user's balance row first, like every other ledger write.
"""

import calendar
import uuid
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from accounts.signals import announce_access_changed
from core.units import ceil_div, format_rupiah
from quota.debt_blocks import debt_block_apply
from quota.invoices import invoice_issue
from quota.models import DebtItem, Invoice, QuotaBalance, QuotaEntry
from quota.services import balance_lock, quota_grant
from sites.models import Site

DEBT_REFERENCE = "debt:{}"


@dataclass(frozen=True)
class OpenItem:
    item: DebtItem
    open_bytes: int
    open_rp: int


@dataclass
class DebtSummary:
    auto_bytes: int = 0
    items: list[OpenItem] = field(default_factory=list)

    @property
    def items_rp(self) -> int:
        return sum(o.open_rp for o in self.items)

    @property
    def items_bytes(self) -> int:
        return sum(o.open_bytes for o in self.items)

    @property
    def has_debt(self) -> bool:
        return self.auto_bytes > 0 or bool(self.items)


def _site_zone(user: User) -> zoneinfo.ZoneInfo:
    site = Site.objects.get(pk=user.site_id) if user.site_id else Site.objects.default()
    return zoneinfo.ZoneInfo(site.time_zone)


def debt_due_date(*, user: User, now: datetime | None = None) -> date:
    """The last day of the current month in the resident's site time zone."""
    local = timezone.localtime(now or timezone.now(), _site_zone(user))
    return local.date().replace(day=calendar.monthrange(local.year, local.month)[1])


def open_price_rp(*, price_rp: int, open_bytes: int, amount_bytes: int) -> int:
    """What an item still costs: its price in proportion to the bytes still open, rounded up."""
    return ceil_div(price_rp * open_bytes, amount_bytes)


def debt_summary(user: User, *, balance: QuotaBalance | None = None) -> DebtSummary:
    """What the resident owes now: auto debt in bytes, open items with their open bytes and Rupiah (an
    item partly paid back by a purchase costs its price in proportion to what is still open)."""
    if balance is None:
        balance = QuotaBalance.objects.filter(user_id=user.pk).first()
    return debt_summaries([user.pk], balances={user.pk: balance})[user.pk]


def debt_summaries(user_ids, *, balances: dict | None = None) -> dict[int, DebtSummary]:
    """`debt_summary` for many residents in three queries (balances, open items, what purchases paid of
    them); `balances` ({user id: QuotaBalance or None}) when the caller read them already."""
    user_ids = list(user_ids)
    if balances is None:
        balances = {b.user_id: b for b in QuotaBalance.objects.filter(user_id__in=user_ids)}
    items = list(
        DebtItem.objects.filter(user_id__in=user_ids, closed_at__isnull=True).order_by("created_at", "id")
    )
    paid = (
        dict(
            QuotaEntry.objects.filter(
                user_id__in=user_ids,
                kind=QuotaEntry.Kind.DEBT_PAY,
                reference__in=[DEBT_REFERENCE.format(i.pk) for i in items],
            )
            .values_list("reference")
            .annotate(total=Sum("amount_bytes"))
            .order_by()
        )
        if items
        else {}
    )
    summaries = {}
    for user_id in user_ids:
        balance = balances.get(user_id)
        summaries[user_id] = DebtSummary(auto_bytes=max(-balance.remaining_bytes, 0) if balance else 0)
    for item in items:
        open_bytes = item.amount_bytes + (paid.get(DEBT_REFERENCE.format(item.pk)) or 0)
        if open_bytes > 0:
            open_rp = open_price_rp(
                price_rp=item.price_rp, open_bytes=open_bytes, amount_bytes=item.amount_bytes
            )
            summaries[item.user_id].items.append(OpenItem(item=item, open_bytes=open_bytes, open_rp=open_rp))
    return summaries


def debt_block_refresh(*, user: User) -> str:
    """Rewrite the resident's debt block from what they owe now (inside the caller's transaction: the
    status follows the balance with the write's commit)."""
    balance = balance_lock(user.pk)
    return debt_block_apply(user_id=user.pk, balance=balance, summary=debt_summary(user, balance=balance))


def _require_resident(user: User) -> None:
    if user.role != User.Role.USER:
        raise ValidationError(_("Only residents can carry debt; Komandan and staff never do."), code="role")


@transaction.atomic
def debt_grant(
    *,
    user: User,
    amount_bytes: int,
    price_rp: int,
    actor: User | None,
    note: str,
    days: int = 30,
    idempotency_key: str | None = None,
) -> DebtItem:
    """Credit `amount_bytes` now and open a debt item of `price_rp`, due at the end of the month."""
    _require_resident(user)
    if not isinstance(price_rp, int) or isinstance(price_rp, bool) or price_rp <= 0:
        raise ValidationError(_("The price of the debt must be more than zero."), code="price")
    balance = balance_lock(user.pk)
    if balance.is_unlimited:
        raise ValidationError(
            _("A resident with unlimited access cannot get quota on credit."), code="unlimited"
        )
    key = idempotency_key or f"debt:{uuid.uuid4().hex}"
    existing = DebtItem.objects.filter(entry__idempotency_key=key).first()
    if existing is not None:
        return existing
    entry = quota_grant(
        user=user,
        amount_bytes=amount_bytes,
        days=days,
        kind=QuotaEntry.Kind.DEBT,
        idempotency_key=key,
        actor=actor,
        reason=note,
    )
    item = DebtItem.objects.create(
        user=user,
        entry=entry,
        amount_bytes=amount_bytes,
        price_rp=price_rp,
        due_date=debt_due_date(user=user),
        note=note[:255],
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(
        actor=actor,
        action="debt.grant",
        target_user=user,
        obj=item,
        after={"amount_bytes": amount_bytes, "price_rp": price_rp, "due_date": item.due_date.isoformat()},
        reason=note,
    )
    debt_block_refresh(user=user)
    return item


def purchase_split(*, user: User, amount_bytes: int) -> dict:
    """How `amount_bytes` bought now would be used: auto debt first, then the oldest items, the rest to
    the balance. What the purchase page shows before paying."""
    summary = debt_summary(user)
    to_auto = min(amount_bytes, summary.auto_bytes)
    to_items = min(amount_bytes - to_auto, summary.items_bytes)
    return {"to_auto": to_auto, "to_items": to_items, "rest": amount_bytes - to_auto - to_items}


def debt_pay_from_credit(*, user: User, credited_bytes: int, key: str, reference: str) -> int:
    """After a purchase credited `credited_bytes` (the balance row locked by the caller's transaction):
    pay the oldest open items back from what is left once auto debt is covered. Returns the bytes paid to
    items. Idempotent through the entry keys (`key` names the purchase)."""
    balance = balance_lock(user.pk)
    available = min(credited_bytes, max(balance.remaining_bytes, 0))
    paid_total = 0
    for open_item in debt_summary(user, balance=balance).items:
        if available <= 0:
            break
        pay = min(available, open_item.open_bytes)
        entry_key = f"{key}:debt:{open_item.item.pk}"
        if QuotaEntry.objects.filter(idempotency_key=entry_key).exists():
            continue
        QuotaEntry.objects.create(
            user=user,
            kind=QuotaEntry.Kind.DEBT_PAY,
            amount_bytes=-pay,
            idempotency_key=entry_key,
            reference=DEBT_REFERENCE.format(open_item.item.pk),
            reason=reference[:255],
        )
        balance.purchased_bytes -= pay
        available -= pay
        paid_total += pay
        if pay == open_item.open_bytes:
            _item_close(
                open_item.item, how=DebtItem.Closed.PURCHASE, actor=None, reason="", reference=reference
            )
    if paid_total:
        balance.save()
        announce_access_changed(user.pk)
    debt_block_refresh(user=user)
    return paid_total


def _item_close(item: DebtItem, *, how: str, actor: User | None, reason: str, reference: str) -> None:
    item.closed_how = how
    item.closed_at = timezone.now()
    item.closed_by = actor if actor is not None and actor.pk else None
    item.close_reason = reason[:255]
    item.close_reference = reference[:120]
    item.save(update_fields=["closed_how", "closed_at", "closed_by", "close_reason", "close_reference"])


def _auto_settle(
    *, user: User, balance: QuotaBalance, amount_bytes: int, key: str, actor, reason: str
) -> None:
    if amount_bytes <= 0 or QuotaEntry.objects.filter(idempotency_key=key).exists():
        return
    QuotaEntry.objects.create(
        user=user,
        kind=QuotaEntry.Kind.SETTLE,
        amount_bytes=amount_bytes,
        idempotency_key=key,
        actor=actor if actor is not None and actor.pk else None,
        reference=key[:120],
        reason=reason[:255],
    )
    balance.purchased_bytes += amount_bytes
    balance.save()


def _select_items(summary: DebtSummary, item_id: int | None) -> list[OpenItem]:
    if item_id is None:
        return summary.items
    chosen = [o for o in summary.items if o.item.pk == item_id]
    if not chosen:
        raise ValidationError(_("This debt item is already settled or does not exist."), code="closed")
    return chosen


@transaction.atomic
def debt_settle_cash(*, user: User, actor: User, item_id: int | None = None, amount_rp: int) -> Invoice:
    """Staff took cash at the counter for one open item (`item_id`) or all of them. `amount_rp` must be
    exactly what those items still cost: more or less is refused. (Auto debt is paid by a purchase or a
    debt order online, priced from the packages, or forgiven.)"""
    balance = balance_lock(user.pk)
    summary = debt_summary(user, balance=balance)
    if not summary.items:
        raise ValidationError(_("This resident has no open debt items."), code="nothing")
    chosen = _select_items(summary, item_id)
    owed = sum(o.open_rp for o in chosen)
    if amount_rp != owed:
        raise ValidationError(
            _("The amount must be exactly what is owed: %(owed)s.") % {"owed": format_rupiah(owed)},
            code="amount",
        )
    return _settle(
        user=user,
        balance=balance,
        chosen=chosen,
        auto_bytes=0,
        amount_rp=amount_rp,
        how=DebtItem.Closed.CASH,
        actor=actor,
        key=f"cash:{uuid.uuid4().hex}",
        method=_("cash"),
    )


def _settle(*, user, balance, chosen, auto_bytes, amount_rp, how, actor, key, method) -> Invoice:
    if not isinstance(amount_rp, int) or isinstance(amount_rp, bool) or amount_rp <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount")
    before = {"items": [o.item.pk for o in chosen], "auto_bytes": auto_bytes}
    for open_item in chosen:
        _item_close(open_item.item, how=how, actor=actor, reason="", reference=key)
    _auto_settle(
        user=user, balance=balance, amount_bytes=auto_bytes, key=f"{key}:auto", actor=actor, reason=key
    )
    invoice = invoice_issue(
        user=user,
        kind=Invoice.Kind.SETTLEMENT,
        reference=key,
        description=_("Debt settlement"),
        quota_bytes=auto_bytes + sum(o.open_bytes for o in chosen),
        amount_rp=amount_rp,
        method=method,
    )
    audit_record(
        actor=actor,
        action=f"debt.settle_{how}",
        target_user=user,
        obj=invoice,
        before=before,
        after={"invoice": invoice.number, "amount_rp": amount_rp},
    )
    announce_access_changed(user.pk)
    debt_block_refresh(user=user)
    return invoice


@transaction.atomic
def debt_forgive(*, user: User, actor: User, reason: str, item_id: int | None = None) -> int:
    """Forgive one item or all debt (items and auto debt) with a reason. Returns the Rupiah forgiven on
    items."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for forgiving the debt."), code="reason")
    balance = balance_lock(user.pk)
    summary = debt_summary(user, balance=balance)
    if not summary.has_debt:
        raise ValidationError(_("This resident owes nothing."), code="nothing")
    chosen = _select_items(summary, item_id)
    key = f"forgive:{uuid.uuid4().hex}"
    for open_item in chosen:
        _item_close(open_item.item, how=DebtItem.Closed.FORGIVEN, actor=actor, reason=reason, reference=key)
    auto = summary.auto_bytes if item_id is None else 0
    _auto_settle(user=user, balance=balance, amount_bytes=auto, key=f"{key}:auto", actor=actor, reason=reason)
    forgiven_rp = sum(o.open_rp for o in chosen)
    audit_record(
        actor=actor,
        action="debt.forgive",
        target_user=user,
        obj=user,
        before={"items": [o.item.pk for o in chosen], "auto_bytes": auto, "rp": forgiven_rp},
        reason=reason,
    )
    announce_access_changed(user.pk)
    debt_block_refresh(user=user)
    return forgiven_rp


def debt_settle_online(
    *, user: User, plan: dict, amount_rp: int, reference: str, method: str, since
) -> Invoice:
    """Apply a paid debt order (inside the caller's transaction, the order row locked): close the planned
    items still open, credit the planned auto debt bytes. Nothing the resident paid is lost to a race: bytes
    a purchase paid back on a planned item after the order was made are credited back (`since`: when the
    order was made), and auto debt a purchase covered meanwhile stays in the balance."""
    balance = balance_lock(user.pk)
    summary = debt_summary(user, balance=balance)
    planned = set(plan.get("items", []))
    chosen = [o for o in summary.items if o.item.pk in planned]
    refund = -(
        QuotaEntry.objects.filter(
            user_id=user.pk,
            kind=QuotaEntry.Kind.DEBT_PAY,
            reference__in=[DEBT_REFERENCE.format(pk) for pk in planned],
            created_at__gte=since,
        ).aggregate(total=Sum("amount_bytes", default=0))["total"]
    )
    auto_bytes = int(plan.get("auto_bytes", 0)) + refund
    return _settle(
        user=user,
        balance=balance,
        chosen=chosen,
        auto_bytes=auto_bytes,
        amount_rp=amount_rp,
        how=DebtItem.Closed.ONLINE,
        actor=None,
        key=reference,
        method=method,
    )
