"""Background work for billing, run by django-q2 (see billing/schedules.py)."""

from billing.services import pending_reconcile


def reconcile_pending() -> dict[str, int]:
    """Check pending transactions with the Midtrans status API; apply, expire or leave them."""
    return pending_reconcile()
