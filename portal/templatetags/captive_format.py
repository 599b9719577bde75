from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.units import format_bytes

register = template.Library()


@register.filter(name="bytes")
def bytes_filter(value) -> str:
    """Integer bytes as residents read them (GB/MB/KB/B)."""
    try:
        return format_bytes(int(value))
    except (TypeError, ValueError):
        return "-"


@register.filter(name="bytes_abs")
def bytes_abs_filter(value) -> str:
    try:
        return format_bytes(abs(int(value)))
    except (TypeError, ValueError):
        return "-"


@register.filter(name="days_left")
def days_left(expires_at, now=None) -> str:
    """'12 hari lagi', 'berakhir hari ini' or 'sudah berakhir', counted in local calendar days."""
    if not expires_at:
        return ""
    now = now or timezone.now()
    if expires_at <= now:
        return _("ended")
    days = (timezone.localdate(expires_at) - timezone.localdate(now)).days
    if days <= 0:
        return _("ends today")
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
