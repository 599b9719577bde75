"""Komandan requests: create, approve (fully or partly) and reject, each applied once.

A request row is locked before it is decided, so a double click or two staff members at once apply it
once; the ledger entry carries the idempotency key `request:<id>` as a second guard. WhatsApp goes out
after commit.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.alerts import staff_alert_send
from accounts.audit import audit_record
from accounts.models import User
from core.units import format_bytes, local_time_text
from core.whatsapp import send_after_commit, texts
from quota.models import QuotaBalance, QuotaEntry, QuotaRequest
from quota.services import grant_bounds_check, quota_grant, quota_set_unlimited

Status = QuotaRequest.Status


def cooldown_remaining(*, last_requested_at: datetime | None, now: datetime, hours: int) -> timedelta:
    """How long a Komandan still waits before the next request (zero when they may ask now)."""
    if last_requested_at is None:
        return timedelta(0)
    return max(timedelta(0), last_requested_at + timedelta(hours=hours) - now)


def request_limits_check(*, kind: str, requested_bytes: int, requested_days: int) -> None:
    """The limits of the settings, with messages for the Komandan."""
    if kind == QuotaRequest.Kind.UNLIMITED:
        if not settings.KOMANDAN_ALLOW_UNLIMITED:
            raise ValidationError(_("Unlimited access cannot be requested."), code="unlimited_off")
    elif kind == QuotaRequest.Kind.QUOTA:
        if requested_bytes <= 0:
            raise ValidationError(_("The quota amount must be more than zero."), code="amount")
        if requested_bytes > settings.KOMANDAN_MAX_REQUEST_BYTES:
            raise ValidationError(
                _("You can request at most %(max)s.")
                % {"max": format_bytes(settings.KOMANDAN_MAX_REQUEST_BYTES)},
                code="amount_max",
            )
    else:
        raise ValidationError(_("Unknown request type."), code="kind")
    if not 1 <= requested_days <= settings.KOMANDAN_MAX_REQUEST_DAYS:
        raise ValidationError(
            _("The validity must be between 1 and %(max)d days.")
            % {"max": settings.KOMANDAN_MAX_REQUEST_DAYS},
            code="days",
        )


@transaction.atomic
def quota_request_create(
    *, requester: User, kind: str, requested_days: int, requested_bytes: int = 0
) -> QuotaRequest:
    """A pending request; refused while another is pending or during the cooldown after the last one."""
    requester = User.objects.select_for_update().get(pk=requester.pk)
    if requester.role != User.Role.KOMANDAN or requester.approval_status != User.Approval.APPROVED:
        raise ValidationError(_("Only an approved Komandan can make requests."), code="not_komandan")
    if kind == QuotaRequest.Kind.UNLIMITED:
        requested_bytes = 0
    request_limits_check(kind=kind, requested_bytes=requested_bytes, requested_days=requested_days)
    previous = QuotaRequest.objects.filter(requester=requester).order_by("-created_at").first()
    if previous is not None and previous.status == Status.PENDING:
        raise ValidationError(_("You already have a request waiting for staff."), code="pending")
    now = timezone.now()
    wait = cooldown_remaining(
        last_requested_at=previous.created_at if previous else None,
        now=now,
        hours=settings.KOMANDAN_REQUEST_COOLDOWN_HOURS,
    )
    if wait:
        raise ValidationError(
            _("You can make a new request after %(when)s.") % {"when": local_time_text(now + wait)},
            code="cooldown",
        )
    try:
        with transaction.atomic():
            request = QuotaRequest.objects.create(
                requester=requester,
                kind=kind,
                requested_bytes=requested_bytes,
                requested_days=requested_days,
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(_("You already have a request waiting for staff."), code="pending") from None
    audit_record(
        actor=requester,
        action="komandan.request",
        target_user=requester,
        obj=request,
        after={"kind": kind, "requested_bytes": requested_bytes, "requested_days": requested_days},
    )
    what = describe(kind=kind, amount_bytes=requested_bytes, days=requested_days)
    staff_alert_send(text=texts.request_received_for_staff(name=requester.full_name, what=what))
    return request


def _lock_pending(request_id: int) -> QuotaRequest:
    request = QuotaRequest.objects.select_for_update().select_related("requester").get(pk=request_id)
    if request.status != Status.PENDING:
        raise ValidationError(
            _("This request was already processed (%(status)s).") % {"status": request.get_status_display()},
            code="processed",
        )
    return request


def _finish(request: QuotaRequest, *, status: str, actor: User, reason: str, granted_bytes=0, granted_days=0):
    before = {"status": request.status}
    request.status = status
    request.granted_bytes = granted_bytes
    request.granted_days = granted_days
    request.reason = (reason or "").strip()[:255]
    request.processed_by = actor
    request.processed_at = timezone.now()
    request.save()
    audit_record(
        actor=actor,
        action=f"komandan.{status.lower()}",
        target_user=request.requester,
        obj=request,
        before=before,
        after={"status": status, "granted_bytes": granted_bytes, "granted_days": granted_days},
        reason=request.reason,
    )


@transaction.atomic
def quota_request_approve(
    *,
    request_id: int,
    actor: User,
    granted_bytes: int | None = None,
    granted_days: int | None = None,
    reason: str = "",
) -> QuotaRequest:
    """Apply a pending request once. Less than asked (bytes or days) makes it partly approved; bytes
    granted on an unlimited request give quota instead of unlimited access (also partly approved)."""
    request = _lock_pending(request_id)
    days = granted_days if granted_days is not None else request.requested_days
    if not 1 <= days <= max(request.requested_days, 1):
        raise ValidationError(
            _("Grant between 1 and %(max)d days.") % {"max": request.requested_days}, code="days"
        )
    key = f"request:{request.pk}"
    komandan = request.requester
    unlimited = request.kind == QuotaRequest.Kind.UNLIMITED and not granted_bytes
    if unlimited:
        amount = 0
        partial = days < request.requested_days
    else:
        asked = request.requested_bytes if request.kind == QuotaRequest.Kind.QUOTA else None
        amount = granted_bytes if granted_bytes is not None else asked
        if not amount or amount <= 0:
            raise ValidationError(_("The quota amount must be more than zero."), code="amount")
        grant_bounds_check(amount_bytes=amount)
        if asked is not None and amount > asked:
            raise ValidationError(
                _("Grant at most the requested %(max)s.") % {"max": format_bytes(asked)}, code="amount_max"
            )
        partial = asked is None or amount < asked or days < request.requested_days
    if partial and not (reason or "").strip():
        raise ValidationError(_("Give a reason when granting less than requested."), code="reason")
    if unlimited:
        quota_set_unlimited(user=komandan, unlimited=True, actor=actor, days=days, reason=key)
    else:
        quota_grant(
            user=komandan,
            amount_bytes=amount,
            days=days,
            idempotency_key=key,
            kind=QuotaEntry.Kind.GRANT,
            actor=actor,
            reason=_("Komandan request"),
            reference=key,
        )
    status = Status.PARTIALLY_APPROVED if partial else Status.APPROVED
    _finish(request, status=status, actor=actor, reason=reason, granted_bytes=amount, granted_days=days)
    expires_at = QuotaBalance.objects.get(user_id=komandan.pk).expires_at
    what = describe_granted(request)
    text = (
        texts.request_partly_approved(what=what, expires_at=expires_at, reason=request.reason)
        if partial
        else texts.request_approved(what=what, expires_at=expires_at)
    )
    send_after_commit(phone=komandan.phone, text=text)
    return request


@transaction.atomic
def quota_request_reject(*, request_id: int, actor: User, reason: str) -> QuotaRequest:
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason for the rejection."), code="reason")
    request = _lock_pending(request_id)
    _finish(request, status=Status.REJECTED, actor=actor, reason=reason)
    send_after_commit(phone=request.requester.phone, text=texts.request_rejected(reason=request.reason))
    return request


def describe(*, kind: str, amount_bytes: int, days: int) -> str:
    if kind == QuotaRequest.Kind.UNLIMITED:
        return _("unlimited for %(days)d days") % {"days": days}
    return _("%(amount)s for %(days)d days") % {"amount": format_bytes(amount_bytes), "days": days}


def describe_asked(request: QuotaRequest) -> str:
    return describe(kind=request.kind, amount_bytes=request.requested_bytes, days=request.requested_days)


def describe_granted(request: QuotaRequest) -> str:
    """What a decided request gave: bytes granted are quota, even on an unlimited request."""
    kind = QuotaRequest.Kind.QUOTA if request.granted_bytes else QuotaRequest.Kind.UNLIMITED
    return describe(kind=kind, amount_bytes=request.granted_bytes, days=request.granted_days)
