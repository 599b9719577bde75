from django import template
from django.utils.translation import gettext as _

from core.units import format_bytes

register = template.Library()


@register.filter
def package_quota(package) -> str:
    return _("Unlimited") if package.is_unlimited else format_bytes(package.quota_bytes)
