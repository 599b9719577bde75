"""Message texts. English msgids; residents read the Indonesian translation."""

from django.utils.translation import gettext as _

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
