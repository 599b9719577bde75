"""Devices with no traffic for DEVICE_PRUNE_DAYS are removed, with their router entries.

A device's `last_seen` moves forward whenever a usage cycle sees it carry traffic (the hotspot host
table's idle time, quota/metering/apply.py). Each pruned device leaves a `device.prune` audit row for the
resident's own pages (`devices_pruned_for`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEntry, Device
from accounts.signals import announce_access_changed

PRUNE_ACTION = "device.prune"


@transaction.atomic
def devices_prune(*, now=None) -> list[dict]:
    """Remove authorized devices idle for longer than DEVICE_PRUNE_DAYS; returns what was removed.

    Every affected resident is converged after commit, which removes the device's binding, list entry and
    lease, and drops its IP from the user's queue."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DEVICE_PRUNE_DAYS)
    stale = list(
        Device.objects.select_for_update()
        .select_related("user")
        .filter(is_authorized=True, last_seen__lt=cutoff)
        .order_by("pk")
    )
    pruned = []
    for device in stale:
        facts = {
            "mac": device.mac,
            "label": device.label,
            "last_ip": device.last_ip,
            "last_seen": device.last_seen.isoformat(),
        }
        audit_record(
            actor=None,
            action=PRUNE_ACTION,
            target_user=device.user,
            obj=device,
            before=facts,
            reason=f"no traffic for {settings.DEVICE_PRUNE_DAYS} days",
        )
        pruned.append({"user_id": device.user_id, **facts})
        device.delete()
    for user_id in sorted({item["user_id"] for item in pruned}):
        announce_access_changed(user_id)
    return pruned


def devices_pruned_for(user, *, days: int = 60) -> list[dict]:
    """The resident's devices removed for inactivity in the last `days` days, newest first:
    dicts with mac, label, last_seen (ISO text) and pruned_at (datetime)."""
    since = timezone.now() - timedelta(days=days)
    entries = AuditEntry.objects.filter(action=PRUNE_ACTION, target_user=user, created_at__gte=since)
    return [{**entry.before, "pruned_at": entry.created_at} for entry in entries.order_by("-created_at")]
