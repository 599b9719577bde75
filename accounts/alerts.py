"""Alerts to staff over WhatsApp: to STAFF_ALERT_PHONES, or to the active super admins when none are set."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.whatsapp import send_after_commit


def staff_alert_phones() -> list[str]:
    return list(settings.STAFF_ALERT_PHONES) or list(
        User.objects.filter(role=User.Role.SUPER_ADMIN, is_active=True).values_list("phone", flat=True)
    )


def staff_alert_send(*, text: str) -> None:
    """After commit, through the task queue, like every message."""
    for phone in staff_alert_phones():
        send_after_commit(phone=phone, text=text)


def staff_alert_cache_degraded(sender=None, **kwargs) -> None:
    """Redis failed (core/cache.py): one alert per hour for all processes together (the mark is kept in the
    cache, which is then PostgreSQL's fallback table)."""
    if not cache.add(f"alert:redis-down:{timezone.now():%Y%m%d%H}", 1, timeout=2 * 3600):
        return
    staff_alert_send(
        text=_(
            "lpsaring alert: Redis cannot be reached. Logins and rate limits continue on the database; "
            "check the Redis service."
        )
    )
