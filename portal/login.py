"""Captive-portal login: the hotspot context, one-time codes over WhatsApp, and the device it unlocks.

The router is asked which device holds the client IP; a code is sent only after Turnstile, within the
per-number cooldown and the global hourly budget, and only to approved, active, unblocked accounts (every
other number gets the same answer and costs nothing). A correct code authorizes the device and converges
the router at once; if the router cannot be reached the code stays usable.
"""

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import otp
from accounts.alerts import staff_alert_send
from accounts.audit import audit_record
from accounts.models import OtpCode, User
from accounts.services import device_authorize
from core import whatsapp
from core.mac import normalize_mac
from core.phone import normalize_phone
from core.turnstile import turnstile_verify
from core.whatsapp import texts as wa_templates
from quota.router_state import user_converge
from routers.client import RouterError, RouterUnavailable
from routers.identity import device_lookup
from routers.selectors import routers_enabled
from sites.selectors import sites_for_hotspot

log = logging.getLogger(__name__)

MAIN_BROWSER_SALT = "accounts.main-browser-link"


class LoginRefused(Exception):
    """A refusal with a message a resident can read; `code` names the reason for tests and logs."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- Hotspot context -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotspotContext:
    ip: str
    mac: str | None  # router-verified when `verified`, else the browser's hint (never trusted alone)
    verified: bool
    login_link: str
    original_url: str
    # The sites whose hotspot may have sent the redirect (client subnet and login host); their routers
    # are the ones asked about the device.
    site_ids: tuple[int, ...] = ()


def hotspot_context_check(
    *, ip: str, mac: str, login_link: str, original_url: str, peer_ip: str
) -> HotspotContext:
    """The router's redirect parameters, refused when they belong to another network.

    A peer inside the hotspot subnet must be the device it claims to be; a peer outside it (the app
    reached through NAT, or the demo on loopback) is taken at its word for the IP, and the router decides
    the MAC.
    """
    ip = (ip or "").strip()
    sites = sites_for_hotspot(ip=ip, login_host=None)
    if not sites:
        raise LoginRefused(
            "foreign_ip", _("This page only works on the institution's WiFi. Reconnect and try again.")
        )
    if any(site.serves_ip(peer_ip) for site in sites) and peer_ip != ip:
        raise LoginRefused(
            "ip_mismatch", _("This login link belongs to another device. Reconnect to the WiFi.")
        )
    if login_link:
        host = (urlsplit(login_link).hostname or "").lower()
        sites = [site for site in sites if host in site.login_host_names]
        if not sites:
            raise LoginRefused(
                "foreign_login_host",
                _("This login link does not come from our WiFi. Reconnect and try again."),
            )
    hint = None
    if mac:
        try:
            hint = normalize_mac(mac)
        except ValidationError:
            hint = None
    original = original_url if urlsplit(original_url or "").scheme in ("http", "https") else ""
    return HotspotContext(
        ip=ip,
        mac=hint,
        verified=False,
        login_link=login_link or "",
        original_url=original[:500],
        site_ids=tuple(site.pk for site in sites),
    )


def device_identify(context: HotspotContext) -> HotspotContext:
    """The same context with the MAC the router reports for its IP.

    Raises LoginRefused when the router contradicts the browser's MAC or does not know the device, and
    lets RouterUnavailable through (the caller decides whether to wait or retry).
    """
    routers = [router for router in routers_enabled() if router.site_id in context.site_ids]
    mac = device_lookup(context.ip, context.mac, routers=routers)
    if mac is None:
        raise LoginRefused(
            "unknown_device",
            _("Your device was not found on the WiFi. Turn WiFi off and on, then open this page again."),
        )
    if context.mac and context.mac != mac:
        raise LoginRefused(
            "mac_mismatch",
            _(
                "The device address does not match what the WiFi sees. "
                "Turn WiFi off and on, then open this page again."
            ),
        )
    return replace(context, mac=mac, verified=True)


# --- Requesting a code ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OtpRequestOutcome:
    """What the resident is told. `sent` is for tests and logs only: the page never shows it."""

    phone: str
    paused: bool = False
    sent: bool = False


def _eligible(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_active
        and not user.is_blocked
        and user.approval_status == User.Approval.APPROVED
    )


def _budget_key(now) -> str:
    return f"otp-budget:{now:%Y%m%d%H}"


def _budget_spent(now) -> int:
    return int(cache.get(_budget_key(now)) or 0)


def _budget_take(now) -> bool:
    key = _budget_key(now)
    cache.add(key, 0, timeout=2 * 3600)
    return cache.incr(key) <= settings.OTP_HOURLY_SEND_BUDGET


def _staff_alert_budget(now) -> None:
    if not cache.add(f"otp-budget-alert:{now:%Y%m%d%H}", 1, timeout=2 * 3600):
        return
    log.error(
        "OTP hourly send budget (%d) exceeded: codes are not being sent", settings.OTP_HOURLY_SEND_BUDGET
    )
    text = _(
        "lpsaring alert: more than %(budget)d login codes were requested this hour. Sending is paused "
        "until the next hour. Check for abuse."
    ) % {"budget": settings.OTP_HOURLY_SEND_BUDGET}
    staff_alert_send(text=text)


def turnstile_failed_message() -> str:
    return _("The security check failed. Wait for it to finish and try again.")


def otp_request(*, phone: str, turnstile_token: str, ip: str) -> OtpRequestOutcome:
    """Send a login code if, and only if, everything allows it; the answer never says which check stopped it.

    Raises ValidationError for a malformed number or a failed Turnstile check (both say nothing about the
    account).
    """
    phone = normalize_phone(phone)
    if not turnstile_verify(token=turnstile_token, remote_ip=ip).success:
        raise ValidationError(turnstile_failed_message(), code="turnstile")
    now = timezone.now()
    if _budget_spent(now) >= settings.OTP_HOURLY_SEND_BUDGET:
        _staff_alert_budget(now)
        return OtpRequestOutcome(phone=phone, paused=True)
    user = User.objects.filter(phone=phone).first()
    if not _eligible(user):
        return OtpRequestOutcome(phone=phone)
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        latest = OtpCode.objects.filter(user=user).order_by("-created_at", "-id").first()
        cooldown = timedelta(seconds=settings.OTP_RESEND_COOLDOWN_S)
        if latest is not None and latest.consumed_at is None and now - latest.created_at < cooldown:
            return OtpRequestOutcome(phone=phone)
        if not _budget_take(now):
            transaction.on_commit(lambda: _staff_alert_budget(now))
            return OtpRequestOutcome(phone=phone, paused=True)
        code = otp.code_make()
        OtpCode.objects.create(
            user=user,
            code_hash=otp.code_hash(code, phone=phone, key=settings.SECRET_KEY),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_VALIDITY_S),
            requested_ip=ip or None,
        )
        text = wa_templates.otp_code(code=code, minutes=max(1, settings.OTP_VALIDITY_S // 60))
        whatsapp.send_after_commit(phone=phone, text=text, discard_after_s=settings.OTP_VALIDITY_S)
    return OtpRequestOutcome(phone=phone, sent=True)


def whatsapp_unavailable_message() -> str:
    return _(
        "We cannot send the code right now because WhatsApp is not reachable. Try again in a few minutes."
    )


# --- Checking a code and logging in ---------------------------------------------------------------


def code_refused_message() -> str:
    """One answer for every refused code (wrong, expired, used, locked), and the same for a number that
    has no code at all: telling them apart would tell an attacker which numbers are residents."""
    return _("The code is wrong, has expired or was already used. After 5 wrong tries, ask for a new code.")


def _code_check_and_consume(*, phone: str, typed: str, now) -> tuple[User, OtpCode]:
    """Lock the newest code; count a wrong try (kept although the login fails) or consume a good code."""
    user = User.objects.filter(phone=phone).first()
    code = None
    with transaction.atomic():
        if user is not None:
            code = (
                OtpCode.objects.select_for_update().filter(user=user).order_by("-created_at", "-id").first()
            )
        if code is None or not _eligible(user):
            verdict = otp.Verdict.WRONG
        else:
            state = otp.CodeState(
                code.code_hash, code.expires_at, code.failed_attempts, code.consumed_at is not None
            )
            verdict = otp.code_check(
                state=state,
                typed=typed,
                phone=phone,
                key=settings.SECRET_KEY,
                now=now,
                max_attempts=settings.OTP_MAX_ATTEMPTS,
            )
            if verdict == otp.Verdict.WRONG:
                code.failed_attempts += 1
                code.save(update_fields=["failed_attempts"])
                if code.failed_attempts >= settings.OTP_MAX_ATTEMPTS:
                    verdict = otp.Verdict.LOCKED
            elif verdict == otp.Verdict.OK:
                code.consumed_at = now
                code.save(update_fields=["consumed_at"])
    if verdict != otp.Verdict.OK:
        raise LoginRefused(f"code_{verdict}", code_refused_message())
    return user, code


def _code_restore(code: OtpCode) -> None:
    OtpCode.objects.filter(pk=code.pk).update(consumed_at=None)


@dataclass(frozen=True)
class LoginResult:
    user: User
    device_label: str
    replaced_label: str | None


def otp_verify(*, phone: str, typed_code: str, context: HotspotContext) -> LoginResult:
    """Check the code, authorize the device and converge the router for this user, in that order.

    Raises LoginRefused with a message for the resident. If the router cannot be reached, the code is
    handed back unconsumed so the same code works on the next try.
    """
    phone = normalize_phone(phone)
    now = timezone.now()
    unreachable = LoginRefused(
        "router_unavailable",
        _(
            "The WiFi router did not answer. Your code is still valid: "
            "wait a moment and press Continue again."
        ),
    )
    if not context.verified:
        try:
            context = device_identify(context)
        except RouterUnavailable:
            raise unreachable from None
    user, code = _code_check_and_consume(phone=phone, typed=typed_code, now=now)
    if user.is_resident and user.site_id is not None and user.site_id not in context.site_ids:
        _code_restore(code)
        raise LoginRefused(
            "other_site",
            _(
                "This number is registered at another institution. "
                "Log in on the WiFi of your own institution."
            ),
        )
    try:
        device, replaced = device_authorize(
            user=user, mac=context.mac, ip=context.ip, actor=user, announce=False
        )
    except ValidationError as exc:
        _code_restore(code)
        raise LoginRefused("device_refused", " ".join(exc.messages)) from None
    try:
        user_converge(user.pk)
    except (RouterUnavailable, RouterError):
        log.warning("router unreachable while logging in user %s; code restored", user.pk)
        _code_restore(code)
        raise unreachable from None
    with transaction.atomic():
        audit_record(
            actor=user,
            action="user.login",
            target_user=user,
            obj=device,
            after={"mac": device.mac, "ip": context.ip},
        )
    return LoginResult(
        user=user, device_label=str(device), replaced_label=str(replaced) if replaced else None
    )


# --- "Buka di browser utama" -----------------------------------------------------------------------


def main_browser_link_make(*, user: User) -> str:
    """A signed token for a one-time login in the phone's main browser."""
    return signing.dumps(
        {"u": user.pk, "n": secrets.token_urlsafe(12)}, salt=MAIN_BROWSER_SALT, compress=True
    )


def main_browser_link_use(*, token: str) -> User:
    """The user the token logs in; refuses a forged, expired or already used token."""
    refused = LoginRefused(
        "link_invalid", _("This link has expired or was already used. Log in again on the WiFi page.")
    )
    try:
        data = signing.loads(token, salt=MAIN_BROWSER_SALT, max_age=settings.MAIN_BROWSER_LINK_TTL_S)
    except signing.BadSignature:
        raise refused from None
    if not cache.add(f"main-browser-link:{data['n']}", 1, timeout=settings.MAIN_BROWSER_LINK_TTL_S + 60):
        raise refused
    user = User.objects.filter(pk=data["u"]).first()
    if user is None or not user.is_active or user.is_blocked:
        raise refused
    return user
