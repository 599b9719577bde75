"""Alerts to staff over WhatsApp: to STAFF_ALERT_PHONES, or to the active super admins when none are set."""

from django.conf import settings

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
