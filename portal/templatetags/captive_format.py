from django import template

from core.units import format_bytes

register = template.Library()


@register.filter(name="bytes")
def bytes_filter(value) -> str:
    """Integer bytes as residents read them (GB/MB)."""
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
