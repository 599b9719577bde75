"""Every WhatsApp text, in one place. English msgids; residents and staff read the Indonesian translation.

Each takes plain values (names, byte counts, times), never a model, so any app may call it."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.units import format_bytes, format_rupiah, local_time_text


def otp_code(*, code: str, minutes: int) -> str:
    return _("Your lpsaring login code is %(code)s. It is valid for %(minutes)d minutes. Never share it.") % {
        "code": code,
        "minutes": minutes,
    }


def registration_received(*, name: str) -> str:
    return _("Hello %(name)s, your registration has been received and is waiting for staff approval.") % {
        "name": name
    }


def registration_approved(*, name: str, remaining_bytes: int, expires_at) -> str:
    if remaining_bytes <= 0:
        # No initial quota (INITIAL_QUOTA_MB=0, the default): "Quota: 0 B, valid until -" told them nothing.
        return _(
            "Hello %(name)s, your registration has been approved. Log in on the WiFi page and buy a package "
            "to get online."
        ) % {"name": name}
    return _(
        "Hello %(name)s, your registration has been approved. Quota: %(quota)s, valid until %(until)s."
    ) % {"name": name, "quota": format_bytes(remaining_bytes), "until": local_time_text(expires_at)}


def registration_rejected(*, name: str, reason: str) -> str:
    return _("Hello %(name)s, your registration was rejected: %(reason)s") % {"name": name, "reason": reason}


def quota_added(*, amount_bytes: int, expires_at, reason: str) -> str:
    return _("%(amount)s of quota has been added (%(reason)s). Valid until %(until)s.") % {
        "amount": format_bytes(amount_bytes),
        "reason": reason,
        "until": local_time_text(expires_at),
    }


def status_changed(*, status_label: str, remaining_bytes: int) -> str:
    return _("Your internet status is now: %(status)s. Remaining quota: %(remaining)s.") % {
        "status": status_label,
        "remaining": format_bytes(max(remaining_bytes, 0)),
    }


def blocked(*, reason: str) -> str:
    return _("Your internet access has been blocked: %(reason)s. Contact staff.") % {"reason": reason}


def unblocked() -> str:
    return _("Your internet access has been unblocked.")


def payment_receipt(*, order_id: str, package: str, amount: int, quota_bytes: int, expires_at) -> str:
    quota = format_bytes(quota_bytes) if quota_bytes else _("unlimited")
    return _(
        "Payment received for order %(order)s: package %(package)s (%(quota)s), %(amount)s. "
        "Valid until %(until)s. Thank you."
    ) % {
        "order": order_id,
        "package": package,
        "quota": quota,
        "amount": format_rupiah(amount),
        "until": local_time_text(expires_at),
    }


def payment_needs_review(*, order_id: str, user: str, status: str, note: str) -> str:
    return _(
        "Payment %(order)s of %(user)s needs review: Midtrans reports %(status)s (%(note)s). Check the admin."
    ) % {
        "order": order_id,
        "user": user,
        "status": status,
        "note": note,
    }


def payment_quota_taken_back(
    *, order_id: str, package: str, amount_bytes: int, unlimited_ended: bool, remaining_bytes: int
) -> str:
    values = {
        "order": order_id,
        "package": package,
        "amount": format_bytes(amount_bytes),
        "remaining": format_bytes(max(remaining_bytes, 0)),
    }
    if unlimited_ended:
        text = _(
            "Payment %(order)s (package %(package)s) was refunded or reversed, so the unlimited access it "
            "gave has ended. Remaining quota: %(remaining)s."
        )
    else:
        text = _(
            "Payment %(order)s (package %(package)s) was refunded or reversed, so the %(amount)s of quota "
            "it gave has been taken back. Remaining quota: %(remaining)s."
        )
    return text % values


# Komandan requests


def request_received_for_staff(*, name: str, what: str) -> str:
    return _("New Komandan request from %(name)s: %(what)s. Decide it in the admin.") % {
        "name": name,
        "what": what,
    }


def request_approved(*, what: str, expires_at) -> str:
    return _("Your request has been approved: %(what)s, valid until %(until)s.") % {
        "what": what,
        "until": local_time_text(expires_at),
    }


def request_partly_approved(*, what: str, expires_at, reason: str) -> str:
    return _("Your request has been partly approved: %(what)s, valid until %(until)s. Note: %(reason)s") % {
        "what": what,
        "until": local_time_text(expires_at),
        "reason": reason or "-",
    }


def request_rejected(*, reason: str) -> str:
    return _("Your request has been rejected: %(reason)s") % {"reason": reason}


# Status changes and notices after a usage cycle


def status_fup(*, remaining_bytes: int) -> str:
    return _(
        "Your quota is running low (%(remaining)s left): your internet is now at the fair-use speed."
    ) % {"remaining": format_bytes(remaining_bytes)}


def status_habis() -> str:
    return _("Your internet quota is used up. Buy a package on the lpsaring page to go online again.")


def status_ok(*, remaining_bytes: int) -> str:
    return _("Your internet is back to full speed. Remaining quota: %(remaining)s.") % {
        "remaining": format_bytes(remaining_bytes)
    }


def quota_low(*, remaining_bytes: int) -> str:
    return _("Your internet quota is almost used up: %(remaining)s left.") % {
        "remaining": format_bytes(remaining_bytes)
    }


def expiry_near(*, days: int, expires_at) -> str:
    return ngettext(
        "Your internet package expires in %(days)d day, on %(when)s.",
        "Your internet package expires in %(days)d days, on %(when)s.",
        days,
    ) % {"days": days, "when": local_time_text(expires_at)}


def staff_password_reset(*, name: str, url: str) -> str:
    return _(
        "Hello %(name)s, lpsaring now runs the WiFi. Your old password cannot be carried over: "
        "set a new one here (the link works once): %(url)s"
    ) % {"name": name, "url": url}


def inactive_warning(*, name: str, days: int) -> str:
    return _(
        "Hello %(name)s, your WiFi account has not been used for %(days)d days. Log in on the WiFi page to "
        "keep it, or it will be deactivated."
    ) % {"name": name, "days": days}


def inactive_deactivated(*, name: str) -> str:
    return _(
        "Hello %(name)s, your WiFi account was deactivated because it was not used. Contact staff to "
        "activate it again."
    ) % {"name": name}


def account_released(*, name: str) -> str:
    return _("Hello %(name)s, your WiFi account has been closed on your release. Goodbye and good luck.") % {
        "name": name
    }


def receipt_link(*, number: str, url: str) -> str:
    return _("Invoice %(number)s: %(url)s") % {"number": number, "url": url}


def debt_settled(*, order_id: str, amount: int) -> str:
    return _("Payment received for order %(order)s: your debt of %(amount)s is settled. Thank you.") % {
        "order": order_id,
        "amount": format_rupiah(amount),
    }


def debt_granted(*, amount_bytes: int, price: int, due) -> str:
    return _("You received %(quota)s on credit for %(amount)s, due on %(due)s.") % {
        "quota": format_bytes(amount_bytes),
        "amount": format_rupiah(price),
        "due": due.strftime("%d-%m-%Y"),
    }


def debt_reminder(*, amount: int, due, hours: int) -> str:
    if hours >= 24:
        days = hours // 24
        left = ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    else:
        left = ngettext("in %(n)d hour", "in %(n)d hours", hours) % {"n": hours}
    return _(
        "Reminder: your debt of %(amount)s is due %(left)s (%(due)s). Pay it on the WiFi page, "
        "menu Pay debt, to keep your access."
    ) % {"amount": format_rupiah(amount), "left": left, "due": due.strftime("%d-%m-%Y")}


def debt_block_warning(*, amount: int, due, overdue: bool) -> str:
    if overdue:
        text = _("Your debt of %(amount)s was due on %(due)s and is not paid.")
    else:
        text = _("Your debt of %(amount)s is due today, %(due)s, and is not paid.")
    return (
        text % {"amount": format_rupiah(amount), "due": due.strftime("%d-%m-%Y")}
        + " "
        + _("Your internet access is now blocked until you pay it on the WiFi page (menu Pay debt).")
    )


def debt_limit_warning(*, debt_bytes: int, limit_bytes: int) -> str:
    return _(
        "Your debt has reached %(debt)s of the %(limit)s limit. At the limit your internet access is "
        "blocked until you pay; pay it on the WiFi page, menu Pay debt."
    ) % {"debt": format_bytes(debt_bytes), "limit": format_bytes(limit_bytes)}


def debt_limit_blocked(*, debt_bytes: int) -> str:
    return _(
        "Your debt of %(debt)s has reached the limit: your internet access is blocked until you pay it "
        "on the WiFi page, menu Pay debt."
    ) % {"debt": format_bytes(debt_bytes)}


def debt_staff_reminder(*, amount: int, due) -> str:
    return _(
        "Reminder from the staff: you owe %(amount)s, due on %(due)s. Pay it on the WiFi page, menu Pay "
        "debt, or in cash at the counter."
    ) % {"amount": format_rupiah(amount), "due": due.strftime("%d-%m-%Y")}
