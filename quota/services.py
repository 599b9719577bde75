"""Writes on quota. Every change goes through the ledger and the balance row in one transaction."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from accounts.signals import announce_access_changed
from core.units import GIB
from quota.expiry import expiry_after_credit
from quota.models import DebtItem, QuotaBalance, QuotaEntry
from quota.selectors import access_status_of

CREDIT_KINDS = (QuotaEntry.Kind.PURCHASE, QuotaEntry.Kind.GRANT, QuotaEntry.Kind.INJECT, QuotaEntry.Kind.DEBT)


def balance_lock(user_id: int) -> QuotaBalance:
    """The user's balance row, created if missing, locked for the rest of the transaction."""
    QuotaBalance.objects.bulk_create([QuotaBalance(user_id=user_id)], ignore_conflicts=True)
    return QuotaBalance.objects.select_for_update().get(user_id=user_id)


def _balance_snapshot(balance: QuotaBalance) -> dict:
    return {
        "purchased_bytes": balance.purchased_bytes,
        "used_bytes": balance.used_bytes,
        "expires_at": balance.expires_at.isoformat() if balance.expires_at else None,
        "is_unlimited": balance.is_unlimited,
    }


def _require_positive_bytes(amount_bytes) -> None:
    if not isinstance(amount_bytes, int) or isinstance(amount_bytes, bool) or amount_bytes <= 0:
        raise ValidationError(_("The quota amount must be more than zero."), code="amount")


def _require_days(days) -> None:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3660:
        raise ValidationError(_("The validity must be between 1 and 3660 days."), code="days")


def grant_bounds_check(*, amount_bytes: int) -> None:
    """What one staff action may grant: more than zero and at most GRANT_MAX_GB."""
    _require_positive_bytes(amount_bytes)
    if amount_bytes > settings.GRANT_MAX_GB * GIB:
        raise ValidationError(
            _("One grant is at most %(max)d GB.") % {"max": settings.GRANT_MAX_GB}, code="amount_max"
        )


@transaction.atomic
def quota_grant(
    *,
    user: User,
    amount_bytes: int,
    days: int,
    idempotency_key: str,
    kind: str = QuotaEntry.Kind.GRANT,
    actor: User | None = None,
    reason: str = "",
    reference: str = "",
    rate_tier: str | None = None,
) -> QuotaEntry:
    """Credit `amount_bytes`; the expiry becomes the later of the current one and now + `days`, so
    receiving quota never shortens its validity (an expired balance starts from now).

    Applying the same idempotency key again returns the first entry and changes nothing.
    """
    _require_positive_bytes(amount_bytes)
    _require_days(days)
    if kind not in CREDIT_KINDS:
        raise ValidationError(_("Unknown quota kind."), code="kind")
    balance = balance_lock(user.pk)
    existing = QuotaEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    before = _balance_snapshot(balance)
    now = timezone.now()
    entry = QuotaEntry.objects.create(
        user=user,
        kind=kind,
        amount_bytes=amount_bytes,
        idempotency_key=idempotency_key,
        actor=actor if actor is not None and actor.pk else None,
        reference=reference,
        reason=reason[:255],
        created_at=now,
    )
    balance.purchased_bytes += amount_bytes
    balance.expires_at = expiry_after_credit(current=balance.expires_at, now=now, days=days)
    if rate_tier is not None:
        balance.rate_tier = rate_tier
    balance.save()
    audit_record(
        actor=actor,
        action=f"quota.{kind}",
        target_user=user,
        obj=entry,
        before=before,
        after=_balance_snapshot(balance),
        reason=reason,
    )
    # Always: even when the status stays "ok", the queue's rate may change (a new tier, or the quota
    # guard's cap lifted by the new bytes).
    announce_access_changed(user.pk)
    return entry


@transaction.atomic
def quota_consume(*, user: User, amount_bytes: int, idempotency_key: str, reference: str = "") -> QuotaEntry:
    """Record `amount_bytes` of usage. The same idempotency key counts once."""
    _require_positive_bytes(amount_bytes)
    balance = balance_lock(user.pk)
    existing = QuotaEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    status_before = access_status_of(user, balance)
    entry = QuotaEntry.objects.create(
        user=user,
        kind=QuotaEntry.Kind.USAGE,
        amount_bytes=-amount_bytes,
        idempotency_key=idempotency_key,
        reference=reference,
    )
    balance.used_bytes += amount_bytes
    balance.save(update_fields=["used_bytes", "updated_at"])
    if access_status_of(user, balance) != status_before:
        announce_access_changed(user.pk)
    return entry


def _has_open_debt_items(user_id: int) -> bool:
    return DebtItem.objects.filter(user_id=user_id, closed_at__isnull=True).exists()


@transaction.atomic
def quota_set_unlimited(
    *,
    user: User,
    unlimited: bool,
    actor: User | None,
    reason: str = "",
    days: int | None = None,
    rate_tier: str | None = None,
) -> QuotaBalance:
    """Turn unlimited access on or off; with `days`, the expiry becomes now + days; with `rate_tier`,
    the queue runs at that tier's rate (an unlimited package's tier).

    Unlike a credit of bytes, an unlimited grant sets the expiry, which may shorten it: the balance has
    one expiry, so keeping a later one would make unlimited access last until then (a 1-day unlimited
    package on top of a 30-day quota would be 30 days unlimited). Pages show the result before anyone
    pays or confirms."""
    if days is not None:
        _require_days(days)
    balance = balance_lock(user.pk)
    if unlimited and actor is not None and (balance.remaining_bytes < 0 or _has_open_debt_items(user.pk)):
        # A staff grant: unlimited and debt exclude each other (a paid package was checked at its start).
        raise ValidationError(_("This resident has debt: settle or forgive it before unlimited access."))
    before = _balance_snapshot(balance)
    balance.is_unlimited = unlimited
    if rate_tier is not None:
        balance.rate_tier = rate_tier
    if days is not None:
        balance.expires_at = timezone.now() + timedelta(days=days)
    balance.save()
    audit_record(
        actor=actor,
        action="quota.set_unlimited" if unlimited else "quota.revoke_unlimited",
        target_user=user,
        obj=balance,
        before=before,
        after=_balance_snapshot(balance),
        reason=reason,
    )
    announce_access_changed(user.pk)
    return balance


@transaction.atomic
def quota_take_back(
    *,
    user: User,
    amount_bytes: int,
    end_unlimited: bool,
    idempotency_key: str,
    actor: User | None,
    reason: str,
    reference: str = "",
) -> QuotaEntry:
    """Debit what a credit gave: `amount_bytes`, but at most what remains (never below zero), as an
    `adjust` entry; with `end_unlimited`, unlimited access ends too. The expiry stays as it is.

    The same idempotency key takes back once: a repeat returns the first entry and changes nothing.
    """
    if not isinstance(amount_bytes, int) or isinstance(amount_bytes, bool) or amount_bytes < 0:
        raise ValidationError(_("The quota amount cannot be negative."), code="amount")
    balance = balance_lock(user.pk)
    existing = QuotaEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    before = _balance_snapshot(balance)
    debit = min(amount_bytes, max(balance.remaining_bytes, 0))
    entry = QuotaEntry.objects.create(
        user=user,
        kind=QuotaEntry.Kind.ADJUST,
        amount_bytes=-debit,
        idempotency_key=idempotency_key,
        actor=actor if actor is not None and actor.pk else None,
        reference=reference,
        reason=reason[:255],
    )
    balance.purchased_bytes -= debit
    if end_unlimited:
        balance.is_unlimited = False
    balance.save()
    audit_record(
        actor=actor,
        action="quota.take_back",
        target_user=user,
        obj=entry,
        before=before,
        after=_balance_snapshot(balance),
        reason=reason,
    )
    announce_access_changed(user.pk)
    return entry


def ledger_totals(user_ids=None) -> dict[int, tuple[int, int]]:
    """(purchased, used) per user, summed from the ledger itself."""
    entries = QuotaEntry.objects.all()
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
    rows = entries.values("user_id").annotate(
        purchased=Sum("amount_bytes", filter=~Q(kind=QuotaEntry.Kind.USAGE), default=0),
        used=Sum("amount_bytes", filter=Q(kind=QuotaEntry.Kind.USAGE), default=0),
    )
    return {row["user_id"]: (row["purchased"], -row["used"]) for row in rows}


@transaction.atomic
def balances_rebuild(*, fix: bool, actor: User | None = None) -> list[dict]:
    """Compare every balance with its ledger; with `fix`, rewrite the ones that differ.

    Returns one row per difference: user id, cached and ledger values.
    """
    totals = ledger_totals()
    balances = {b.user_id: b for b in QuotaBalance.objects.select_for_update().order_by("user_id")}
    differences = []
    for user_id in sorted(set(totals) | set(balances)):
        purchased, used = totals.get(user_id, (0, 0))
        balance = balances.get(user_id)
        cached = (balance.purchased_bytes, balance.used_bytes) if balance else (0, 0)
        if cached == (purchased, used):
            continue
        differences.append({"user_id": user_id, "cached": cached, "ledger": (purchased, used)})
        if fix:
            balance = balance or balance_lock(user_id)
            before = _balance_snapshot(balance)
            balance.purchased_bytes, balance.used_bytes = purchased, used
            balance.save()
            audit_record(
                actor=actor,
                action="quota.rebuild",
                target_user=balance.user,
                obj=balance,
                before=before,
                after=_balance_snapshot(balance),
            )
    return differences
