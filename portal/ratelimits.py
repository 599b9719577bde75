"""Keys and rates for django-ratelimit, read from settings at request time."""

from django.conf import settings
from django.core.exceptions import ValidationError

from core.phone import normalize_phone


def phone_key(group, request) -> str:
    """The normalized number, so 0812…, 62812… and +62812… share one bucket."""
    raw = request.POST.get("phone", "")
    try:
        return normalize_phone(raw)
    except ValidationError:
        return "invalid:" + raw.strip()[:20]


def otp_rate_per_phone(group, request):
    return settings.OTP_RATE_PER_PHONE


def otp_rate_per_ip(group, request):
    return settings.OTP_RATE_PER_IP


def otp_verify_rate_per_ip(group, request):
    return settings.OTP_VERIFY_RATE_PER_IP


def register_rate_per_ip(group, request):
    return settings.REGISTER_RATE_PER_IP
