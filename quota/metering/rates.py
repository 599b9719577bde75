"""The quota guard: users who could run out before the next normal cycle are polled every few seconds and
their queue is capped so that no link speed lets them pass zero by more than a small bounded amount.

Pure rule (`guard_rate`): a user at `ok` or `fup`, not unlimited, whose remaining bytes could be used up
within the guard horizon at their queue's rate (upload + download), is guarded. The guard rate is
`remaining × 8 / (2 × fast interval)` bit/s: the queue's max-limit caps upload and download separately
and both count, so each direction gets half and the two together can use at most `remaining` in one
fast interval. It is never above the queue's own rate, and never below a small floor (RouterOS reads
0 as unlimited; the floor drains the last bytes in bounded time). The README states the bound.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

from accounts.signals import announce_access_changed
from quota.metering.lock import cycles_serialise
from quota.metering.report import CycleReport
from quota.models import QuotaBalance
from quota.selectors import access_status_of
from quota.status import AccessStatus
from routers.state import parse_rate_pair

GUARDED_STATUSES = (AccessStatus.OK, AccessStatus.FUP)
RATE_STEP_BPS = 1000  # rates are rounded down to whole kbit/s so tiny remainders do not churn the router


def guard_rate(
    *,
    status: AccessStatus,
    is_unlimited: bool,
    remaining_bytes: int,
    rate: tuple[int, int],
    horizon_s: int,
    fast_interval_s: int,
    min_rate_bps: int,
) -> int | None:
    """The guard rate in bit/s, or None when the user is not guarded. Pure."""
    if is_unlimited or status not in GUARDED_STATUSES or remaining_bytes <= 0:
        return None
    upload, download = rate
    if remaining_bytes * 8 > (upload + download) * horizon_s:
        return None
    shared = remaining_bytes * 8 // (2 * fast_interval_s)
    capped = min(shared, max(upload, download)) // RATE_STEP_BPS * RATE_STEP_BPS
    return max(capped, min_rate_bps)


def queue_rate(*, status: AccessStatus, rate_tier: str) -> tuple[int, int]:
    """The (upload, download) bit/s the user's queue runs at without the guard."""
    if status == AccessStatus.FUP:
        return parse_rate_pair(settings.FUP_RATE)
    tier = rate_tier or settings.DEFAULT_RATE_TIER
    return parse_rate_pair(settings.RATE_TIERS.get(tier) or settings.RATE_TIERS[settings.DEFAULT_RATE_TIER])


def _effective(rate: tuple[int, int], guard: int | None) -> tuple[int, int]:
    return rate if guard is None else (min(rate[0], guard), min(rate[1], guard))


def _guard_rate_of(balance: QuotaBalance, status: AccessStatus, rate: tuple[int, int]) -> int | None:
    """`guard_rate` for one balance, with the guard settings."""
    return guard_rate(
        status=status,
        is_unlimited=balance.is_unlimited,
        remaining_bytes=balance.remaining_bytes,
        rate=rate,
        horizon_s=settings.QUOTA_GUARD_HORIZON_S,
        fast_interval_s=settings.QUOTA_FAST_INTERVAL_S,
        min_rate_bps=settings.QUOTA_GUARD_MIN_RATE_BPS,
    )


def guard_rates_follow(*, balances, statuses: dict, report: CycleReport) -> None:
    """Set or clear `guard_rate_bps` on `balances` (one statement) and converge, after commit, every user
    whose queue limit actually changes."""
    changed, converge = [], []
    for balance in balances:
        status = statuses.get(balance.user_id)
        if status is None:
            continue
        rate = queue_rate(status=status, rate_tier=balance.rate_tier)
        wanted = _guard_rate_of(balance, status, rate)
        report.guarded += wanted is not None
        if wanted == balance.guard_rate_bps:
            continue
        if _effective(rate, wanted) != _effective(rate, balance.guard_rate_bps):
            converge.append(balance.user_id)
        balance.guard_rate_bps = wanted
        changed.append(balance)
    if not changed:
        return
    report.guard_changes = len(changed)
    _store_guard_rates(changed)
    transitioned = {user_id for user_id, _old, _new in report.transitions}  # those already converge
    for user_id in converge:
        if user_id not in transitioned:
            announce_access_changed(user_id)


def _store_guard_rates(changed) -> None:
    """One statement on PostgreSQL whatever the count; the SQLite demo takes the ORM's bulk_update."""
    if connection.vendor != "postgresql":
        QuotaBalance.objects.bulk_update(changed, ["guard_rate_bps"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE quota_quotabalance AS b SET guard_rate_bps = g.rate "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS g(user_id, rate) WHERE b.user_id = g.user_id",
            [[b.user_id for b in changed], [b.guard_rate_bps for b in changed]],
        )


def guard_refresh(user_id: int) -> None:
    """Recompute one user's guard rate from their balance as it is now, before their targeted converge.

    A purchase or a grant changes the balance between cycles: without this, the converge that follows
    would keep a guard rate meant for the old remainder (a resident who just paid stays at a trickle) or
    miss one (a small grant to a user at zero runs at the tier rate until the next normal cycle)."""
    with transaction.atomic():
        cycles_serialise()  # after a running cycle, which may be writing guard rates itself
        balance = (
            QuotaBalance.objects.select_for_update().select_related("user").filter(user_id=user_id).first()
        )
        if balance is None:
            return
        status = access_status_of(balance.user, balance)
        wanted = _guard_rate_of(balance, status, queue_rate(status=status, rate_tier=balance.rate_tier))
        if wanted != balance.guard_rate_bps:
            QuotaBalance.objects.filter(pk=balance.pk).update(guard_rate_bps=wanted)
