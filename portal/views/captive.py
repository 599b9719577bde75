"""The captive portal: entry from the hotspot redirect, registration, phone, code, "Terhubung", status.

Views parse input, call one service from portal/login.py or accounts/services.py, and render or redirect.
"""

from dataclasses import asdict

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from accounts.permissions import resident_required
from accounts.services import user_register
from core.mac import is_locally_administered
from core.turnstile import DUMMY_TOKEN, TOKEN_FIELD, site_key_is_dummy, turnstile_verify
from core.whatsapp.outbox import gateway_down
from portal import login as captive
from portal import ratelimits as rl
from portal.forms import CodeForm, PhoneForm, RegistrationForm
from quota.selectors import quota_panel
from routers.client import RouterUnavailable

SESSION_CONTEXT = rl.CAPTIVE_CONTEXT
SESSION_PHONE = "captive_phone"


def _turnstile(request) -> dict:
    dummy = site_key_is_dummy()
    return {
        "site_key": settings.TURNSTILE_SITE_KEY,
        "dummy": dummy,
        "dummy_token": DUMMY_TOKEN if dummy else "",
    }


def _context_from_session(request) -> captive.HotspotContext | None:
    data = request.session.get(SESSION_CONTEXT)
    return captive.HotspotContext(**data) if data else None


def _refused(request, refusal: captive.LoginRefused, status=403):
    return render(
        request, "captive/refused.html", {"message": refusal.message, "code": refusal.code}, status=status
    )


@require_http_methods(["GET"])
def portal(request):
    """Entry from the router's login.html: ?ip=…&mac=…&link-login-only=…&link-orig=…"""
    params = request.GET
    peer = request.META.get("REMOTE_ADDR", "")
    ip = params.get("ip") or ""
    context = _context_from_session(request)
    if ip or context is None:
        try:
            context = captive.hotspot_context_check(
                ip=ip or peer,
                mac=params.get("mac", ""),
                login_link=params.get("link-login-only", ""),
                original_url=params.get("link-orig") or params.get("dst", ""),
                peer_ip=peer,
            )
            context = captive.device_identify(context)
        except captive.LoginRefused as refusal:
            request.session.pop(SESSION_CONTEXT, None)
            return _refused(request, refusal)
        except RouterUnavailable:
            pass  # asked again when the code is checked; the resident can go on meanwhile
        request.session[SESSION_CONTEXT] = asdict(context)
    random_mac = bool(context.mac and is_locally_administered(context.mac))
    return render(request, "captive/portal.html", {"hotspot": context, "random_mac": random_mac})


def _require_context(view):
    def wrapped(request, *args, **kwargs):
        if _context_from_session(request) is None:
            return redirect("captive:portal")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _whatsapp_reachable(view):
    """Before the rate limits count: while the WhatsApp gateway is known to be down a code request is
    answered "cannot send" and costs the resident nothing (core/whatsapp/outbox.py gateway_down)."""

    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and gateway_down():
            form = PhoneForm(request.POST)
            form.is_valid()
            form.add_error(None, captive.whatsapp_unavailable_message())
            context = {"form": form, "turnstile": _turnstile(request)}
            return render(request, "captive/phone.html", context, status=503)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_http_methods(["GET", "POST"])
@_require_context
@_whatsapp_reachable
@ratelimit(group="otp-request-client", key=rl.client_key, rate=rl.otp_rate_per_ip, method="POST")
@ratelimit(group="otp-request-phone", key=rl.phone_key, rate=rl.otp_rate_per_phone, method="POST")
def phone(request):
    form = PhoneForm(request.POST or None, initial={"phone": request.session.get(SESSION_PHONE, "")})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = captive.otp_request(
                phone=form.cleaned_data["phone"],
                turnstile_token=request.POST.get(TOKEN_FIELD, ""),
                ip=request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[SESSION_PHONE] = outcome.phone
            request.session["captive_paused"] = outcome.paused
            return redirect("captive:code")
    return render(request, "captive/phone.html", {"form": form, "turnstile": _turnstile(request)})


@require_http_methods(["GET", "POST"])
@_require_context
@ratelimit(group="otp-verify-client", key=rl.client_key, rate=rl.otp_verify_rate_per_ip, method="POST")
def code(request):
    phone_number = request.session.get(SESSION_PHONE)
    if not phone_number:
        return redirect("captive:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = captive.otp_verify(
                phone=phone_number,
                typed_code=form.cleaned_data["code"],
                context=_context_from_session(request),
            )
        except captive.LoginRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            hotspot = request.session.get(SESSION_CONTEXT)
            login(request, result.user)
            request.session[SESSION_CONTEXT] = hotspot
            request.session.pop(SESSION_PHONE, None)
            if result.replaced_label:
                request.session["captive_replaced"] = result.replaced_label
            return redirect("captive:connected")
    context = {
        "form": form,
        "phone": phone_number,
        "paused": request.session.get("captive_paused", False),
        "minutes": max(1, settings.OTP_VALIDITY_S // 60),
        "cooldown": settings.OTP_RESEND_COOLDOWN_S,
    }
    return render(request, "captive/code.html", context)


@resident_required
def connected(request):
    """ "Terhubung": remaining quota and expiry, and the link that logs the main browser in."""
    summary = quota_panel(request.user)
    if summary["status"] not in ("ok", "fup"):
        return redirect("captive:status")
    token = captive.main_browser_link_make(user=request.user)
    link = settings.PUBLIC_BASE_URL + reverse("resident:open", args=[token])
    hotspot = _context_from_session(request)
    context = {
        "summary": summary,
        "main_browser_link": link,
        "replaced": request.session.pop("captive_replaced", None),
        "original_url": hotspot.original_url if hotspot else "",
        "link_ttl_minutes": max(1, settings.MAIN_BROWSER_LINK_TTL_S // 60),
    }
    return render(request, "captive/connected.html", context)


@resident_required
def status(request):
    """One page per access status: what happened and what to do."""
    summary = quota_panel(request.user)
    return render(
        request, "captive/status.html", {"summary": summary, "buy_url": reverse("billing:packages")}
    )


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted only here, where a registration would be attempted: a form sent back for a typo
        # costs nothing and must not lock a resident out for the hour.
        if is_ratelimited(
            request, group="register-client", key=rl.client_key, rate=rl.register_rate_per_ip, increment=True
        ):
            raise Ratelimited()
        verified = turnstile_verify(
            token=request.POST.get(TOKEN_FIELD, ""), remote_ip=request.META.get("REMOTE_ADDR", "")
        )
        if not verified.success:
            form.add_error(None, captive.turnstile_failed_message())
        else:
            try:
                user_register(
                    phone=form.cleaned_data["phone"],
                    full_name=form.cleaned_data["full_name"],
                    room=form.cleaned_data["room"],
                    tamping_type=form.cleaned_data["tamping_type"],
                )
            except ValidationError as exc:
                # A taken number gets the same answer as a new registration (and nothing is created):
                # telling them apart would let anyone list the residents' numbers.
                if exc.code != "phone_taken":
                    form.add_error(None, exc)
            if not form.errors:
                request.session[SESSION_PHONE] = form.cleaned_data["phone"]
                return redirect("captive:waiting")
    return render(request, "captive/register.html", {"form": form, "turnstile": _turnstile(request)})


def waiting(request):
    return render(request, "captive/waiting.html")
