"""WhatsApp texts about Komandan requests. English msgids; Komandan read the Indonesian translation."""

from django.utils.translation import gettext as _

from core.units import format_bytes, local_time_text
from quota.models import QuotaRequest


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


def describe(*, kind: str, amount_bytes: int, days: int) -> str:
    if kind == QuotaRequest.Kind.UNLIMITED:
        return _("unlimited for %(days)d days") % {"days": days}
    return _("%(amount)s for %(days)d days") % {"amount": format_bytes(amount_bytes), "days": days}


def describe_asked(request: QuotaRequest) -> str:
    return describe(kind=request.kind, amount_bytes=request.requested_bytes, days=request.requested_days)


def describe_granted(request: QuotaRequest) -> str:
    """What a decided request gave: bytes granted are quota, even on an unlimited request."""
    kind = QuotaRequest.Kind.QUOTA if request.granted_bytes else QuotaRequest.Kind.UNLIMITED
    return describe(kind=kind, amount_bytes=request.granted_bytes, days=request.granted_days)
