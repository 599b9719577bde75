"""The validity rule of credits, as a pure function: receiving quota never shortens its validity."""

from datetime import datetime, timedelta


def expiry_after_credit(*, current: datetime | None, now: datetime, days: int) -> datetime:
    """The later of the current expiry and now + `days`; a balance without an expiry, or an expired one,
    starts from now."""
    fresh = now + timedelta(days=days)
    return fresh if current is None or current < fresh else current
