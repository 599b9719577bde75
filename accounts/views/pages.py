"""What the captive and resident pages show about a resident's quota (reads only)."""

from django.utils import timezone


def quota_summary(user) -> dict:
    """Status, remaining bytes and expiry as the pages show them (quota is read, never written, here)."""
    from quota.selectors import quota_summary as summary_of

    summary = summary_of(user)
    return {**summary, "remaining_bytes": max(summary["remaining_bytes"], 0), "now": timezone.now()}
