"""The audit trail: one row per change, written inside the service's transaction."""

from accounts.models import AuditEntry


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
