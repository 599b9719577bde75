"""Announcements residents read on their home page."""

from django.utils import timezone

from quota.models import Announcement


def announcements_current(*, today=None) -> list[Announcement]:
    today = today or timezone.localdate()
    return list(
        Announcement.objects.filter(is_active=True, starts_on__lte=today, ends_on__gte=today).order_by(
            "-starts_on", "-pk"
        )[:3]
    )
