"""The access status engine: one pure function decides a user's status; everything follows it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class AccessStatus(StrEnum):
    OK = "ok"
    FUP = "fup"
    HABIS = "habis"
    EXPIRED = "expired"
    INACTIVE = "inactive"
    DEBT = "debt"
    BLOCKED = "blocked"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    AccessStatus.OK: _("Active"),
    AccessStatus.FUP: _("Fair use (slowed)"),
    AccessStatus.HABIS: _("Quota used up"),
    AccessStatus.EXPIRED: _("Expired"),
    AccessStatus.INACTIVE: _("Not active"),
    AccessStatus.DEBT: _("Blocked until the debt is paid"),
    AccessStatus.BLOCKED: _("Blocked"),
}


@dataclass(frozen=True)
class AccessFacts:
    """What the engine needs, free of the ORM so it can be tested with a table."""

    is_blocked: bool
    is_approved: bool
    is_active: bool
    is_unlimited: bool
    expires_at: datetime | None
    purchased_bytes: int
    used_bytes: int
    # Set from the balance's debt block (quota.debt_blocks): over the debt limit, or warned at the end of
    # the month or of an overdue item and still owing it.
    is_debt_blocked: bool = False


def access_status(*, facts: AccessFacts, now: datetime, fup_threshold_bytes: int) -> AccessStatus:
    """blocked → inactive → debt → expired → ok when unlimited → habis → fup → ok."""
    if facts.is_blocked:
        return AccessStatus.BLOCKED
    if not (facts.is_approved and facts.is_active):
        return AccessStatus.INACTIVE
    if facts.is_debt_blocked:
        return AccessStatus.DEBT
    if facts.expires_at is not None and facts.expires_at <= now:
        return AccessStatus.EXPIRED
    if facts.is_unlimited:
        return AccessStatus.OK
    remaining = facts.purchased_bytes - facts.used_bytes
    if facts.purchased_bytes <= 0 or remaining <= 0:
        return AccessStatus.HABIS
    if facts.purchased_bytes > fup_threshold_bytes and remaining <= fup_threshold_bytes:
        return AccessStatus.FUP
    return AccessStatus.OK
