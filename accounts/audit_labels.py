"""How staff read the audit trail: labels for action codes, system reasons and object types (no models,
so the models themselves may use them)."""

import re

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# What staff read for each action code in the audit view; an unknown code is shown as it is.
ACTION_LABELS = {
    "whatsapp.retry": _("WhatsApp message sent again"),
    "user.register": _("Registration"),
    "user.approve": _("Registration approved"),
    "user.reject": _("Registration rejected"),
    "user.purge_unapproved": _("Old registration removed"),
    "user.create_staff": _("Staff account created"),
    "user.update": _("Account changed"),
    "user.set_role": _("Role changed"),
    "user.staff_sites": _("Sites managed changed"),
    "user.block": _("Blocked"),
    "user.unblock": _("Unblocked"),
    "user.login": _("Logged in on the WiFi"),
    "user.inactive_warn": _("Warned: account not used"),
    "user.inactive_deactivate": _("Deactivated: account not used"),
    "user.anonymise": _("Anonymised: account not used"),
    "user.release": _("Released (account closed)"),
    "broadcast.create": _("Broadcast sent"),
    "free_rider.block": _("Free rider blocked"),
    "block.move": _("Block moved to another site"),
    "device.authorize": _("Device authorized"),
    "device.replace": _("Device replaced (device limit)"),
    "device.rename": _("Device renamed"),
    "device.remove": _("Device removed"),
    "device.prune": _("Device removed for inactivity"),
    "quota.grant": _("Quota granted"),
    "quota.inject": _("Quota injected"),
    "import.lpsaring": _("Data imported from the previous system"),
    "quota.purchase": _("Package purchased"),
    "quota.set_unlimited": _("Unlimited access set"),
    "quota.revoke_unlimited": _("Unlimited access revoked"),
    "quota.rebuild": _("Balance rebuilt from the ledger"),
    "quota.take_back": _("Quota taken back"),
    "quota.debt": _("Quota granted on credit"),
    "debt.grant": _("Debt item opened"),
    "debt.settle_cash": _("Debt settled in cash"),
    "debt.settle_online": _("Debt settled online"),
    "debt.forgive": _("Debt forgiven"),
    "debt.remind": _("Debt reminder sent by staff"),
    "usage.reject": _("Impossible usage rejected"),
    "router.reset": _("Router state reset"),
    "komandan.request": _("Komandan request"),
    "komandan.approved": _("Komandan request approved"),
    "komandan.partially_approved": _("Komandan request partly approved"),
    "komandan.rejected": _("Komandan request rejected"),
    "billing.start": _("Payment started"),
    "billing.paid": _("Payment received"),
    "billing.failed": _("Payment failed"),
    "billing.expired": _("Payment expired"),
    "billing.cancelled": _("Payment cancelled"),
    "billing.refunded": _("Payment refunded"),
    "billing.review_closed": _("Payment review closed"),
    "billing.quota_taken_back": _("Quota of a reversed payment taken back"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# Reasons the system writes (in English, as codes in the trail and the ledger) as staff and residents read
# them; a reason a person typed is shown as it is.
IMPORT_OPENING_REASON = "Opening balance imported from the previous system"
IMPORT_DEBT_REASON = "Debt carried from the previous system"
USAGE_DAY_REASON = "usage of one day, folded from the per-cycle detail"
REASON_LABELS = {
    USAGE_DAY_REASON: _("usage of the day (per-minute detail folded)"),
    IMPORT_OPENING_REASON: _("opening balance carried over from the previous system"),
    IMPORT_DEBT_REASON: _("debt carried over from the previous system"),
    "removed by the resident": _("removed by the resident"),
    "delta above LINK_RATE_BPS x elapsed": _("more bytes than the link can carry in the time elapsed"),
    "paid": _("paid"),
    "unchanged": _("unchanged"),
    "pending": _("waiting for payment"),
    "failed": _("failed"),
    "expired": _("expired"),
    "cancelled": _("cancelled"),
    "refunded": _("refunded"),
    "refund before payment was recorded": _("refunded before the payment was recorded"),
    "reversed after payment": _("cancelled after payment"),
    "older state ignored": _("older state ignored"),
    "late payment within grace": _("late payment within the grace period"),
    "paid after the grace period": _("paid after the grace period"),
    "paid after it was closed": _("paid after the order was closed"),
}
NO_TRAFFIC = re.compile(r"^no traffic for (\d+) days$")


def reason_label(reason: str) -> str:
    if reason in REASON_LABELS:
        return str(REASON_LABELS[reason])
    if match := NO_TRAFFIC.match(reason):
        days = int(match.group(1))
        return ngettext("no traffic for %(days)d day", "no traffic for %(days)d days", days) % {"days": days}
    return reason


def object_type_label(object_type: str) -> str:
    """'accounts.device' as staff read it: the model's verbose name ('perangkat')."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name) if object_type else ""
    except (LookupError, ValueError):
        return object_type
