"""Deployment checks (`manage.py check --deploy`): settings whose demo defaults must not reach production."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Cloudflare's published test secrets accept (or refuse) every token without a real challenge.
TURNSTILE_TEST_SECRET_PREFIXES = ("1x0000", "2x0000", "3x0000")


@register(Tags.security, deploy=True)
def production_integrations_check(app_configs, **kwargs):
    errors = []
    if (
        settings.TURNSTILE_SECRET_KEY.startswith(TURNSTILE_TEST_SECRET_PREFIXES)
        or not settings.TURNSTILE_SECRET_KEY
    ):
        errors.append(
            Error(
                "TURNSTILE_SECRET_KEY is Cloudflare's test key (or empty): every captcha check passes.",
                hint="Set TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY from the Cloudflare dashboard.",
                id="lpsaring.E001",
            )
        )
    if not settings.TURNSTILE_HOSTNAMES:
        errors.append(
            Warning(
                "TURNSTILE_HOSTNAMES is empty: a token solved on another site with our site key would pass.",
                hint="Set it to the portal's host name(s).",
                id="lpsaring.W001",
            )
        )
    if settings.WHATSAPP_BACKEND in ("console", "memory"):
        errors.append(
            Error(
                f"WHATSAPP_BACKEND is {settings.WHATSAPP_BACKEND!r}: codes never reach residents.",
                hint="Set WHATSAPP_BACKEND=fonnte and FONNTE_TOKEN.",
                id="lpsaring.E002",
            )
        )
    elif settings.WHATSAPP_BACKEND == "fonnte" and not settings.FONNTE_TOKEN:
        errors.append(Error("FONNTE_TOKEN is empty.", id="lpsaring.E003"))
    if not settings.MIDTRANS_SERVER_KEY:
        errors.append(Error("MIDTRANS_SERVER_KEY is empty: payments cannot be verified.", id="lpsaring.E004"))
    return errors
