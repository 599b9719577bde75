"""Keys and rates for django-ratelimit, read from settings at request time."""

from django.conf import settings
from django.core.exceptions import ValidationError

from core.phone import normalize_phone

# The session key under which portal/views/captive.py keeps the hotspot context.
CAPTIVE_CONTEXT = "captive_context"


def phone_key(group, request) -> str:
    """The normalized number, so 0812…, 62812… and +62812… share one bucket."""
    raw = request.POST.get("phone", "")
    try:
        return normalize_phone(raw)
    except ValidationError:
        return "invalid:" + raw.strip()[:20]


def client_key(group, request) -> str:
    """The device the router vouched for in the captive redirect (its MAC, looked up by the router from
    the client IP), else the IP. Residents reach the server through the router's NAT, so one IP is a whole
    block: a per-IP bucket would throttle everyone behind it at once. A MAC the browser sent alone is
    never used (the context is verified only when the router answered)."""
    context = request.session.get(CAPTIVE_CONTEXT) if hasattr(request, "session") else None
    if isinstance(context, dict) and context.get("verified") and context.get("mac"):
        return "mac:" + str(context["mac"])
    return "ip:" + request.META.get("REMOTE_ADDR", "")


def otp_rate_per_phone(group, request):
    return settings.OTP_RATE_PER_PHONE


def otp_rate_per_ip(group, request):
    return settings.OTP_RATE_PER_IP


def otp_verify_rate_per_ip(group, request):
    return settings.OTP_VERIFY_RATE_PER_IP


def register_rate_per_ip(group, request):
    return settings.REGISTER_RATE_PER_IP
