"""What happens to a resident's account that involves quota: approval (with the initial quota), and what
staff do to residents from the admin, each in one transaction with its audit row.

The staff actions wrap the ledger and account services with the parts that belong to a staff action: the
WhatsApp message after commit, the idempotency key of a confirmation page, and the router reset.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import Device, User
from accounts.services import device_remove, user_block, user_reject, user_unblock
from accounts.signals import announce_access_changed
from core.whatsapp import send_after_commit
from core.whatsapp import texts as wa
from quota.models import Promo, QuotaBalance, QuotaEntry
from quota.router_state import user_converge
from quota.services import balance_lock, grant_bounds_check, quota_grant, quota_set_unlimited
from routers.client import RouterError

log = logging.getLogger(__name__)


@transaction.atomic
def user_approve(*, user: User, actor: User | None) -> User:
    """Approve a pending registration and grant the initial quota of the settings, once."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.approval_status == User.Approval.APPROVED:
        return user
    if user.approval_status != User.Approval.PENDING:
        raise ValidationError(_("Only a pending registration can be approved."), code="not_pending")
    user.approval_status = User.Approval.APPROVED
    user.approved_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["approval_status", "approved_at", "is_active"])
    audit_record(
        actor=actor,
        action="user.approve",
        target_user=user,
        obj=user,
        before={"approval_status": "PENDING"},
        after={"approval_status": "APPROVED"},
    )
    balance_lock(user.pk)
    if settings.INITIAL_QUOTA_BYTES > 0:
        quota_grant(  # announces the access change itself
            user=user,
            amount_bytes=settings.INITIAL_QUOTA_BYTES,
            days=settings.INITIAL_QUOTA_DAYS,
            idempotency_key=f"approve:{user.pk}",
            actor=actor,
            reason=_("Initial quota"),
        )
    else:
        announce_access_changed(user.pk)
    promo_grant(user=user, actor=actor)
    return user


def promo_grant(*, user: User, actor: User | None):
    """The registration bonus running today (local date), once per resident, through the ledger."""
    today = timezone.localdate()
    promo = (
        Promo.objects.filter(is_active=True, starts_on__lte=today, ends_on__gte=today).order_by("pk").first()
    )
    if promo is None:
        return None
    return quota_grant(
        user=user,
        amount_bytes=promo.bonus_bytes,
        days=promo.bonus_days,
        idempotency_key=f"promo:{promo.pk}:{user.pk}",
        actor=actor,
        reason=_("Registration bonus: %(name)s") % {"name": promo.name},
    )


def _lock_resident(user: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_resident:
        raise ValidationError(_("This action applies to residents only."), code="not_resident")
    return user


def _balance(user: User) -> QuotaBalance | None:
    return QuotaBalance.objects.filter(user_id=user.pk).first()


@transaction.atomic
def resident_approve(*, user: User, actor: User) -> bool:
    """Approve a pending registration (initial quota through the ledger) and tell the resident.

    Returns False when it was already approved (nothing sent twice)."""
    user = _lock_resident(user)
    if user.approval_status == User.Approval.APPROVED:
        return False
    user_approve(user=user, actor=actor)
    balance = _balance(user)
    send_after_commit(
        phone=user.phone,
        text=wa.registration_approved(
            name=user.full_name,
            remaining_bytes=balance.remaining_bytes if balance else 0,
            expires_at=balance.expires_at if balance else None,
        ),
    )
    return True


@transaction.atomic
def resident_reject(*, user: User, actor: User, reason: str) -> User:
    user = _lock_resident(user)
    user = user_reject(user=user, actor=actor, reason=reason)
    send_after_commit(
        phone=user.phone, text=wa.registration_rejected(name=user.full_name, reason=user.rejection_reason)
    )
    return user


@transaction.atomic
def resident_block(*, user: User, actor: User, reason: str) -> User:
    user = _lock_resident(user)
    if user.is_blocked:  # a second staff member (or a stale page): the first block and its reason stand
        raise ValidationError(_("Already blocked."), code="already_blocked")
    user = user_block(user=user, actor=actor, reason=reason)
    send_after_commit(phone=user.phone, text=wa.blocked(reason=user.blocked_reason))
    return user


@transaction.atomic
def resident_unblock(*, user: User, actor: User, reason: str) -> User:
    user = _lock_resident(user)
    if not user.is_blocked:
        raise ValidationError(_("This resident is not blocked."), code="not_blocked")
    user = user_unblock(user=user, actor=actor, reason=reason)
    send_after_commit(phone=user.phone, text=wa.unblocked())
    return user


@transaction.atomic
def resident_inject(
    *, user: User, actor: User, amount_bytes: int, days: int, reason: str, idempotency_key: str
) -> QuotaEntry:
    """Add quota (kind inject). The key comes from the confirmation page, so a double submit adds once."""
    grant_bounds_check(amount_bytes=amount_bytes)
    user = _lock_resident(user)
    existed = QuotaEntry.objects.filter(idempotency_key=idempotency_key).exists()
    entry = quota_grant(
        user=user,
        amount_bytes=amount_bytes,
        days=days,
        idempotency_key=idempotency_key,
        kind=QuotaEntry.Kind.INJECT,
        actor=actor,
        reason=reason or _("Staff injection"),
    )
    if not existed:
        send_after_commit(
            phone=user.phone,
            text=wa.quota_added(
                amount_bytes=amount_bytes, expires_at=_balance(user).expires_at, reason=entry.reason
            ),
        )
    return entry


@transaction.atomic
def resident_unlimited_set(*, user: User, actor: User, days: int, reason: str) -> QuotaBalance:
    user = _lock_resident(user)
    return quota_set_unlimited(user=user, unlimited=True, actor=actor, days=days, reason=reason)


@transaction.atomic
def resident_unlimited_revoke(*, user: User, actor: User, reason: str) -> QuotaBalance:
    user = _lock_resident(user)
    return quota_set_unlimited(user=user, unlimited=False, actor=actor, reason=reason)


@transaction.atomic
def resident_devices_remove(*, user: User, actor: User, device_ids=None, reason: str = "") -> int:
    """Remove the given devices of the resident (all of them when `device_ids` is None)."""
    user = _lock_resident(user)
    devices = Device.objects.filter(user=user).order_by("pk")
    if device_ids is not None:
        devices = devices.filter(pk__in=device_ids)
    count = 0
    for device in devices:
        device_remove(device=device, actor=actor, reason=reason)
        count += 1
    return count


def resident_router_reset(*, user: User, actor: User, reason: str = "") -> str:
    """Record the reset, then converge the resident's router entries to the database now.

    Returns a short result for the staff member; a router that is down is reported, not raised."""
    with transaction.atomic():
        user = _lock_resident(user)
        audit_record(actor=actor, action="router.reset", target_user=user, obj=user, reason=reason)
    try:
        user_converge(user.pk)
    except RouterError:  # the router is derived state: a failure is reported and retried by the next run
        log.warning("router reset of user %s deferred: router unreachable", user.pk)
        return _("The router could not be reached; it converges on the next run.")
    return _("The router entries of this resident were converged.")
