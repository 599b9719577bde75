"""Pure rules: what a Midtrans status means for our transaction. No queries, no clock reads.

Midtrans states arrive more than once and out of order (a `pending` after `settlement`, a `deny` that
reverses a settlement). `transition` decides from the recorded status and the confirmed Midtrans state
alone, so applying the same state twice is a no-op and an older state never undoes a newer one.
"""

from dataclasses import dataclass

from billing.models import Transaction

S = Transaction.Status

PAID_STATES = {"settlement"}
PENDING_STATES = {"pending", "authorize"}
OUTCOMES = {
    "deny": S.FAILED,
    "failure": S.FAILED,
    "cancel": S.CANCELLED,
    "expire": S.EXPIRED,
    "refund": S.REFUNDED,
    "partial_refund": S.REFUNDED,
    "chargeback": S.REFUNDED,
    "partial_chargeback": S.REFUNDED,
}


def midtrans_outcome(transaction_status: str, fraud_status: str = "") -> str | None:
    """Our status for a Midtrans (transaction_status, fraud_status); None when it means nothing to us."""
    # Only the order id, status code and amount are signed: the rest may be anything a replayer typed.
    transaction_status = str(transaction_status or "").lower()
    fraud_status = str(fraud_status or "").lower()
    if transaction_status == "capture":
        # A card capture is paid only when the fraud check accepted it; `challenge` waits for a decision.
        return {"accept": S.PAID, "deny": S.FAILED}.get(fraud_status, S.PENDING)
    if transaction_status in PAID_STATES:
        return S.FAILED if fraud_status == "deny" else S.PAID
    if transaction_status in PENDING_STATES:
        return S.PENDING
    return OUTCOMES.get(transaction_status)


@dataclass(frozen=True)
class Decision:
    status: str  # the status to record (may equal the current one)
    apply_package: bool = False
    needs_review: bool = False  # money and access disagree: staff decide in the admin
    note: str = ""


def transition(*, current: str, outcome: str | None, within_grace: bool) -> Decision:
    """What to record when Midtrans confirms `outcome` for a transaction that is `current`.

    `within_grace`: the moment is no later than the transaction's expiry plus the late-payment grace.
    """
    if outcome is None or outcome == current:
        return Decision(current, note="unchanged")
    if current == S.PENDING:
        if outcome == S.PAID:
            return Decision(S.PAID, apply_package=True, note="paid")
        if outcome == S.REFUNDED:
            return Decision(S.REFUNDED, needs_review=True, note="refund before payment was recorded")
        return Decision(outcome, note=outcome.lower())
    if current == S.PAID:
        if outcome in (S.FAILED, S.CANCELLED, S.REFUNDED):
            return Decision(outcome, needs_review=True, note="reversed after payment")
        return Decision(current, note="older state ignored")
    if current == S.EXPIRED and outcome == S.PAID:
        if within_grace:
            return Decision(S.PAID, apply_package=True, note="late payment within grace")
        return Decision(current, needs_review=True, note="paid after the grace period")
    if current in (S.FAILED, S.CANCELLED) and outcome == S.PAID:
        return Decision(current, needs_review=True, note="paid after it was closed")
    return Decision(current, note="older state ignored")
