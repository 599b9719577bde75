"""When debt blocks a resident: a pure rule over the debt and the debt notices sent, and the balance flag
that follows it.

A resident is blocked for debt (access status `debt`, the pay-to-continue page) when

- `limit`: DEBT_LIMIT_MB is on and auto debt plus the open items' bytes reach it; or
- `due`: an open item is due on a day for which the end-of-month or overdue warning went out (a
  `QuotaNotice` with key `debt:month_end:<due date>` or `debt:overdue:<due date>`) after the item was
  granted. The warning goes first: no sent warning, no block.

`QuotaBalance.debt_block` holds the result so the router state and the pages read it without computing
debt; it is rewritten by `debt_block_apply` after every payment, grant, settlement and forgiving (inside
the same transaction, so paying lifts the block with the payment's commit) and by the debt cycle every
minute, and can always be rebuilt from the ledger, the items and the notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

from accounts.signals import announce_access_changed
from core.units import MIB
from quota.models import QuotaBalance, QuotaNotice

BLOCK_KEYS = ("debt:month_end:", "debt:overdue:")


class DebtBlock:
    NONE = ""
    LIMIT = "limit"
    DUE = "due"


@dataclass(frozen=True)
class ItemFacts:
    due_date: date
    created_at: datetime


def debt_block_reason(
    *,
    auto_bytes: int,
    items_bytes: int,
    items: list[ItemFacts],
    notices: dict[str, datetime],
    limit_bytes: int,
) -> str:
    """Pure: why debt blocks (`DebtBlock`), from the debt and the block warnings sent ({key: sent_at})."""
    for item in items:
        for prefix in BLOCK_KEYS:
            sent_at = notices.get(f"{prefix}{item.due_date.isoformat()}")
            if sent_at is not None and sent_at >= item.created_at:
                return DebtBlock.DUE
    if limit_bytes > 0 and auto_bytes + items_bytes >= limit_bytes:
        return DebtBlock.LIMIT
    return DebtBlock.NONE


def debt_limit_bytes() -> int:
    return max(settings.DEBT_LIMIT_MB, 0) * MIB


def block_notices(user_id: int) -> dict[str, datetime]:
    return block_notices_of([user_id]).get(user_id, {})


def block_notices_of(user_ids) -> dict[int, dict[str, datetime]]:
    """{user id: {debt notice key: sent_at}} in one query."""
    notices: dict[int, dict[str, datetime]] = {}
    rows = QuotaNotice.objects.filter(user_id__in=list(user_ids), key__startswith="debt:")
    for user_id, key, sent_at in rows.values_list("user_id", "key", "sent_at"):
        notices.setdefault(user_id, {})[key] = sent_at
    return notices


def debt_block_reason_of(*, user_id: int, summary, notices: dict[str, datetime] | None = None) -> str:
    """The block `summary` (a quota.debt.DebtSummary) and the user's notices call for; `notices` when the
    caller read them already (the debt cycle reads everyone's at once)."""
    if notices is None:
        notices = block_notices(user_id) if summary.items else {}
    return debt_block_reason(
        auto_bytes=summary.auto_bytes,
        items_bytes=summary.items_bytes,
        items=[ItemFacts(due_date=o.item.due_date, created_at=o.item.created_at) for o in summary.items],
        notices=notices,
        limit_bytes=debt_limit_bytes(),
    )


def debt_block_apply(*, user_id: int, balance: QuotaBalance, summary) -> str:
    """Rewrite the balance's debt block from `summary` (a quota.debt.DebtSummary read under the balance
    lock the caller holds). Announces the access change when it changed. Returns the block."""
    reason = debt_block_reason_of(user_id=user_id, summary=summary)
    if balance.debt_block != reason:
        balance.debt_block = reason
        QuotaBalance.objects.filter(pk=balance.pk).update(debt_block=reason)
        announce_access_changed(user_id)
    return reason
