"""The account lifecycle: the inactive-account job, release (bebas) and transfer.

- `inactive_run(now)`: residents whose last activity (login, ledger entry, device seen, staff action,
  registration) is older than a threshold get one step each run: a warning at INACTIVE_WARN_DAYS,
  deactivation at INACTIVE_DEACTIVATE_DAYS (devices and router state removed, WhatsApp once),
  anonymisation at INACTIVE_DELETE_DAYS (phone and name erased; ledger and transactions kept). Residents
  with a future expiry, and staff, are never touched; each threshold is off at 0 (the default).
- `resident_release`: closes the account the same day (devices and router state removed in one converge,
  remaining quota forfeited by RELEASE_QUOTA_POLICY, the phone freed through a tombstone value).
  Refused while a guard in RELEASE_GUARDS objects (billing registers: a pending payment).
- `resident_transfer`: another room or tamping type (and so perhaps another site), through
  accounts.services.user_profile_update, which announces the access change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditEntry, Device, User
from accounts.services import user_profile_update
from accounts.signals import announce_access_changed
from core.whatsapp import send_after_commit
from core.whatsapp import texts as wa
from quota.models import LifecycleMark, QuotaBalance, QuotaEntry
from quota.services import quota_take_back

log = logging.getLogger(__name__)

# Callables user -> reason (str) or None; a reason refuses the release. Registered by higher apps.
RELEASE_GUARDS: list[Callable[[User], str | None]] = []

Step = LifecycleMark.Step


def tombstone_phone(user_id: int) -> str:
    """A unique, never-valid phone value for a closed account (the real number may register again)."""
    return f"x-{user_id}"


def _last_activity(user_ids) -> dict[int, object]:
    """The latest activity per user: login, ledger entry, device seen, staff action, registration."""
    latest: dict[int, object] = {}

    def merge(rows):
        for user_id, at in rows:
            if at is not None and (user_id not in latest or at > latest[user_id]):
                latest[user_id] = at

    users = User.objects.filter(pk__in=user_ids)
    merge(users.values_list("pk", "last_login"))
    merge(users.values_list("pk", "date_joined"))
    merge(
        QuotaEntry.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(at=Max("created_at"))
        .values_list("user_id", "at")
    )
    merge(
        Device.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(at=Max("last_seen"))
        .values_list("user_id", "at")
    )
    merge(  # staff actions only: the job's own (system) audit rows are no activity
        AuditEntry.objects.filter(target_user_id__in=user_ids, actor__isnull=False)
        .values("target_user_id")
        .annotate(at=Max("created_at"))
        .values_list("target_user_id", "at")
    )
    return latest


def _candidates(now):
    """Residents that may be touched: not staff, no future expiry, approved."""
    future = QuotaBalance.objects.filter(expires_at__gt=now).values("user_id")
    return (
        User.objects.filter(
            role__in=[User.Role.USER, User.Role.KOMANDAN], approval_status=User.Approval.APPROVED
        )
        .exclude(pk__in=future)
        .order_by("pk")
    )


def _thresholds() -> list[tuple[str, int]]:
    """The steps that are on, furthest first (the warning may come before or after the deactivation)."""
    steps = [
        (Step.ANONYMISED, settings.INACTIVE_DELETE_DAYS),
        (Step.DEACTIVATED, settings.INACTIVE_DEACTIVATE_DAYS),
        (Step.WARNED, settings.INACTIVE_WARN_DAYS),
    ]
    return sorted([(step, days) for step, days in steps if days > 0], key=lambda pair: -pair[1])


def _due_step(days_idle: float, done: set[str]) -> tuple[str, int] | None:
    """The furthest step due and not done yet (one step per run)."""
    for step, days in _thresholds():
        if days_idle >= days:
            return None if step in done else (step, days)
    return None


def inactive_run(*, now=None) -> dict[str, int]:
    """One run of the inactive-account job; returns counts per step."""
    now = now or timezone.now()
    counts = {str(step): 0 for step in Step}
    if not _thresholds():
        return counts
    shortest = min(days for _step, days in _thresholds())
    users = list(_candidates(now).filter(date_joined__lt=now - timedelta(days=shortest)))
    activity = _last_activity([u.pk for u in users])
    marks: dict[int, set[str]] = {}
    for user_id, step, at in LifecycleMark.objects.filter(user__in=users).values_list(
        "user_id", "step", "at"
    ):
        marks.setdefault(user_id, set())
        if at >= activity.get(user_id, at):  # a mark older than the last activity no longer counts
            marks[user_id].add(step)
    done = 0
    for user in users:
        if done >= settings.INACTIVE_BATCH:
            break
        idle_days = (now - activity[user.pk]).total_seconds() / 86400
        due = _due_step(idle_days, marks.get(user.pk, set()))
        if due is None:
            continue
        step, days = due
        inactive_step_apply(user=user, step=step, days=days, now=now)
        counts[str(step)] += 1
        done += 1
    return counts


@transaction.atomic
def inactive_step_apply(*, user: User, step: str, days: int, now) -> None:
    """Apply one step of the inactive job to one resident (the system is the actor)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    LifecycleMark.objects.filter(user=user, step=step).delete()  # an older, superseded mark
    LifecycleMark.objects.create(user=user, step=step, at=now)
    if step == Step.WARNED:
        audit_record(
            actor=None, action="user.inactive_warn", target_user=user, obj=user, after={"days": days}
        )
        send_after_commit(phone=user.phone, text=wa.inactive_warning(name=user.full_name, days=days))
        return
    _devices_remove(user)
    if step == Step.DEACTIVATED:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=None, action="user.inactive_deactivate", target_user=user, obj=user, after={"days": days}
        )
        send_after_commit(phone=user.phone, text=wa.inactive_deactivated(name=user.full_name))
        return
    before = {"phone": user.phone, "full_name": user.full_name}
    user.phone, user.full_name, user.is_active = tombstone_phone(user.pk), _("(erased)"), False
    user.save(update_fields=["phone", "full_name", "is_active"])
    audit_record(
        actor=None, action="user.anonymise", target_user=user, obj=user, before={k: "" for k in before}
    )  # the erased values are not kept anywhere, not even in the audit trail


def _devices_remove(user: User, actor: User | None = None, reason: str = "") -> int:
    """Every device of `user` (each audited as device_remove does), then one access change: the router
    loses all of the user's entries in one targeted converge."""
    devices = list(Device.objects.select_for_update().filter(user=user).order_by("pk"))
    for device in devices:
        audit_record(
            actor=actor,
            action="device.remove",
            target_user=user,
            obj=device,
            before={"mac": device.mac, "is_authorized": device.is_authorized, "last_ip": device.last_ip},
            reason=reason,
        )
    Device.objects.filter(pk__in=[d.pk for d in devices]).delete()
    announce_access_changed(user.pk)
    return len(devices)


def release_refusal(user: User) -> str | None:
    if not user.is_resident:
        return _("This action applies to residents only.")
    if user.phone.startswith("x-"):
        return _("This account is already closed.")
    for guard in RELEASE_GUARDS:
        reason = guard(user)
        if reason:
            return reason
    return None


@transaction.atomic
def resident_release(*, user: User, actor: User, reason: str = "") -> dict:
    """Close a released resident's account today (see the module docstring). Returns what was done."""
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = release_refusal(user)
    if refusal:
        raise ValidationError(refusal, code="release_refused")
    balance = QuotaBalance.objects.filter(user_id=user.pk).first()
    remaining = max(balance.remaining_bytes, 0) if balance else 0
    forfeited = 0
    if remaining and settings.RELEASE_QUOTA_POLICY == "forfeit":
        entry = quota_take_back(
            user=user,
            amount_bytes=remaining,
            end_unlimited=True,
            idempotency_key=f"release:{user.pk}",
            actor=actor,
            reason=_("Released: remaining quota forfeited"),
        )
        forfeited = -entry.amount_bytes
    devices = _devices_remove(user, actor=actor, reason=_("Released"))
    phone = user.phone
    user.phone, user.is_active = tombstone_phone(user.pk), False
    user.save(update_fields=["phone", "is_active"])
    audit_record(
        actor=actor,
        action="user.release",
        target_user=user,
        obj=user,
        before={"phone": phone, "is_active": True},
        after={"phone": user.phone, "is_active": False, "remaining_bytes": remaining, "forfeited": forfeited},
        reason=reason,
    )
    send_after_commit(phone=phone, text=wa.account_released(name=user.full_name))
    return {"remaining_bytes": remaining, "forfeited_bytes": forfeited, "devices": devices}


def resident_transfer(*, user: User, actor: User, room=None, tamping_type=None) -> User:
    """Move a resident to another room or tamping type; their router entries follow in one converge."""
    if (room is None) == (tamping_type is None):
        raise ValidationError(_("Choose a room or a tamping type."), code="transfer_target")
    if (room is not None and room.pk == user.room_id) or (
        tamping_type is not None and tamping_type.pk == user.tamping_type_id
    ):
        raise ValidationError(_("The resident already lives there."), code="transfer_same")
    return user_profile_update(user=user, actor=actor, changes={"room": room, "tamping_type": tamping_type})


def active_residents_q() -> Q:
    return Q(
        role__in=[User.Role.USER, User.Role.KOMANDAN], approval_status=User.Approval.APPROVED, is_active=True
    )
