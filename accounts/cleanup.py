"""Daily removal of registrations nobody approved within UNAPPROVED_REGISTRATION_MAX_DAYS."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import User

log = logging.getLogger(__name__)


def registrations_purge(*, now=None) -> int:
    """Delete pending or rejected residents registered before the cut-off; returns how many.

    Each removal is its own transaction with an audit row that keeps the phone and name (the row it
    points to is gone). One that other records still protect is skipped and logged.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNAPPROVED_REGISTRATION_MAX_DAYS)
    stale = User.objects.filter(
        role__in=User.RESIDENT_ROLES,
        approval_status__in=[User.Approval.PENDING, User.Approval.REJECTED],
        date_joined__lt=cutoff,
    ).order_by("pk")
    removed = 0
    for user_id in stale.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                user = User.objects.select_for_update().filter(pk=user_id, date_joined__lt=cutoff).first()
                if user is None or user.approval_status == User.Approval.APPROVED:
                    continue
                audit_record(
                    actor=None,
                    action="user.purge_unapproved",
                    obj=user,
                    before={
                        "phone": user.phone,
                        "full_name": user.full_name,
                        "approval_status": user.approval_status,
                        "date_joined": user.date_joined.isoformat(),
                    },
                )
                user.delete()
                removed += 1
        except ProtectedError:
            log.warning("unapproved user %s kept: other records refer to it", user_id)
    return removed


def registrations_purge_task() -> str:
    """The django-q2 entry point (see accounts/schedules.py)."""
    return f"removed {registrations_purge()} unapproved registration(s)"
