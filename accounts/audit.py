"""The audit trail: one row per change, written inside the service's transaction."""

from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry

# What staff read for each action code in the audit view; an unknown code is shown as it is.
ACTION_LABELS = {
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
    "device.authorize": _("Device authorized"),
    "device.replace": _("Device replaced (device limit)"),
    "device.rename": _("Device renamed"),
    "device.remove": _("Device removed"),
    "device.prune": _("Device removed for inactivity"),
    "quota.grant": _("Quota granted"),
    "quota.inject": _("Quota injected"),
    "quota.purchase": _("Package purchased"),
    "quota.set_unlimited": _("Unlimited access set"),
    "quota.revoke_unlimited": _("Unlimited access revoked"),
    "quota.rebuild": _("Balance rebuilt from the ledger"),
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
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def audit_record(*, actor, action, target_user=None, obj=None, before=None, after=None, reason=""):
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_user=target_user,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before or {},
        after=after or {},
        reason=reason[:255],
    )


def snapshot(instance, fields) -> dict:
    """The named fields of a model instance as JSON-safe values."""
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        values[name] = value
    return values
