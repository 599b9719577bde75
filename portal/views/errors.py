"""Error pages people see: short, Indonesian, in the resident layout, each with the way back ("/", which
leads to the login or to the resident's own page). 400, 403, 404 and 500 are Django's handlers rendering
templates/<code>.html; the rate limit (429) and a stale form (CSRF) come here."""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import _split_rate

# The limits each rate-limited page counts against (setting names or rates as in the decorators); the wait
# shown is the longest of their windows, an upper bound on how long the resident has to wait.
RATE_LIMITS = {
    "captive:phone": ("OTP_RATE_PER_PHONE", "OTP_RATE_PER_IP"),
    "captive:code": ("OTP_VERIFY_RATE_PER_IP",),
    "captive:register": ("REGISTER_RATE_PER_IP",),
    "billing:purchase": ("10/m",),
    "billing:order-status": ("30/m",),
}
DEFAULT_WAIT_S = 60


def wait_seconds(view_name: str | None) -> int:
    windows = []
    for limit in RATE_LIMITS.get(view_name or "", ()):
        rate = getattr(settings, limit, limit)
        try:
            windows.append(_split_rate(rate)[1])
        except (AttributeError, TypeError, ValueError):
            continue
    return max(windows, default=DEFAULT_WAIT_S)


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def ratelimited(request, exception=None):
    match = getattr(request, "resolver_match", None)
    seconds = wait_seconds(match.view_name if match else None)
    response = render(
        request,
        "429.html",
        {"wait": wait_text(seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def csrf_failure(request, reason=""):
    """A form sent from a page that is too old (or from elsewhere): say so plainly, offer a way back."""
    return render(
        request,
        "error.html",
        {
            "title": _("The page has expired"),
            "message": _(
                "This form was open too long or came from elsewhere. Open the page again and retry."
            ),
        },
        status=403,
    )
