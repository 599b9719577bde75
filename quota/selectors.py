"""Reads that need care: the facts the access status engine takes, in bulk where it matters."""

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from quota.expiry import expiry_after_credit
from quota.models import QuotaBalance
from quota.status import AccessFacts, AccessStatus, access_status


def access_facts(user: User, balance) -> AccessFacts:
    return AccessFacts(
        is_blocked=user.is_blocked,
        is_approved=user.approval_status == User.Approval.APPROVED,
        is_active=user.is_active,
        is_unlimited=bool(balance and balance.is_unlimited),
        expires_at=balance.expires_at if balance else None,
        purchased_bytes=balance.purchased_bytes if balance else 0,
        used_bytes=balance.used_bytes if balance else 0,
        is_debt_blocked=bool(balance and balance.debt_block),
    )


def access_status_of(user: User, balance=None, now=None) -> AccessStatus:
    if balance is None:
        balance = balance_of(user)
    return access_status(
        facts=access_facts(user, balance),
        now=now or timezone.now(),
        fup_threshold_bytes=settings.QUOTA_FUP_THRESHOLD_BYTES,
    )


def balance_of(user: User):
    """The user's balance row, or None when there is none yet (fetched once, or already there through
    select_related)."""
    try:
        return user.balance  # a related-object lookup, cached on the user afterwards
    except User.balance.RelatedObjectDoesNotExist:
        return None


def quota_summary(user: User) -> dict:
    """Status and quota figures as pages, the API and support commands show them (one fresh read)."""
    balance = QuotaBalance.objects.filter(user=user).first()
    status = access_status_of(user, balance)
    return {
        "status": str(status),
        "status_label": str(status.label),
        "unlimited": bool(balance and balance.is_unlimited),
        "purchased_bytes": balance.purchased_bytes if balance else 0,
        "used_bytes": balance.used_bytes if balance else 0,
        "remaining_bytes": balance.remaining_bytes if balance else 0,
        "expires_at": balance.expires_at if balance else None,
    }


def quota_panel(user: User) -> dict:
    """The quota panel of the resident pages: the summary with the remaining bytes never below zero (usage
    past zero is shown as nothing left), and the moment it was read."""
    summary = quota_summary(user)
    return {**summary, "remaining_bytes": max(summary["remaining_bytes"], 0), "now": timezone.now()}


def expiry_after_credit_of(user: User, *, days: int, now=None):
    """The expiry the user's balance will have after a credit of bytes valid `days` (as `quota_grant`
    applies it), for the pages that show it before anyone pays or confirms."""
    balance = QuotaBalance.objects.filter(user=user).only("expires_at").first()
    return expiry_after_credit(
        current=balance.expires_at if balance else None, now=now or timezone.now(), days=days
    )
