"""What the captive and resident pages show about a resident's quota (reads only)."""

from django.utils import timezone


def quota_summary(user) -> dict:
    """Status, remaining bytes and expiry as the pages show them (quota is read, never written, here)."""
    from quota.models import QuotaBalance
    from quota.selectors import access_status_of

    balance = QuotaBalance.objects.filter(user=user).first()
    status = access_status_of(user, balance)
    return {
        "status": str(status),
        "status_label": status.label,
        "unlimited": bool(balance and balance.is_unlimited),
        "remaining_bytes": max(balance.remaining_bytes, 0) if balance else 0,
        "purchased_bytes": balance.purchased_bytes if balance else 0,
        "used_bytes": balance.used_bytes if balance else 0,
        "expires_at": balance.expires_at if balance else None,
        "now": timezone.now(),
    }
