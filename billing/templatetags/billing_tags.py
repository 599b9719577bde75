from django import template
from django.utils.translation import gettext as _

from core.units import format_bytes

register = template.Library()


@register.filter
def package_quota(package) -> str:
    return _("Unlimited") if package.is_unlimited else format_bytes(package.quota_bytes)


@register.filter
def quota_text(value) -> str:
    """Integer bytes as residents read them (the debt page, the purchase split)."""
    return format_bytes(int(value or 0))
