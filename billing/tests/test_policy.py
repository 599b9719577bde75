"""The transition rule as a table: recorded status × confirmed Midtrans state → what we record."""

import pytest

from billing.models import Transaction
from billing.policy import midtrans_outcome, transition

S = Transaction.Status


@pytest.mark.parametrize(
    "transaction_status, fraud_status, expected",
    [
        ("settlement", "accept", S.PAID),
        ("settlement", "", S.PAID),
        ("capture", "accept", S.PAID),
        ("capture", "challenge", S.PENDING),
        ("capture", "deny", S.FAILED),
        ("pending", "accept", S.PENDING),
        ("authorize", "accept", S.PENDING),
        ("deny", "deny", S.FAILED),
        ("failure", "", S.FAILED),
        ("cancel", "accept", S.CANCELLED),
        ("expire", "", S.EXPIRED),
        ("refund", "accept", S.REFUNDED),
        ("partial_refund", "accept", S.REFUNDED),
        ("chargeback", "accept", S.REFUNDED),
        ("partial_chargeback", "accept", S.REFUNDED),
        ("something_new", "accept", None),
        ("", "", None),
        ("settlement", ["accept"], S.PAID),  # not a string: means nothing, never an error
        (["settlement"], 1, None),
        (None, None, None),
    ],
)
def test_midtrans_states_map_to_our_statuses(transaction_status, fraud_status, expected):
    assert midtrans_outcome(transaction_status, fraud_status) == expected


# current, confirmed outcome, within grace → recorded status, package applied, needs review
TABLE = [
    (S.PENDING, S.PAID, True, S.PAID, True, False),
    (
        S.PENDING,
        S.PAID,
        False,
        S.PAID,
        True,
        False,
    ),  # Midtrans accepted it: its expiry is the one that counts
    (S.PENDING, S.PENDING, True, S.PENDING, False, False),
    (S.PENDING, S.EXPIRED, True, S.EXPIRED, False, False),
    (S.PENDING, S.FAILED, True, S.FAILED, False, False),
    (S.PENDING, S.CANCELLED, True, S.CANCELLED, False, False),
    (S.PENDING, S.REFUNDED, True, S.REFUNDED, False, True),
    (S.PENDING, None, True, S.PENDING, False, False),
    (S.PAID, S.PAID, True, S.PAID, False, False),  # duplicate
    (S.PAID, S.PENDING, True, S.PAID, False, False),  # older state after settlement
    (S.PAID, S.EXPIRED, False, S.PAID, False, False),
    (S.PAID, S.FAILED, True, S.FAILED, False, True),  # deny reversing a settlement
    (S.PAID, S.CANCELLED, True, S.CANCELLED, False, True),
    (S.PAID, S.REFUNDED, True, S.REFUNDED, False, True),
    (S.EXPIRED, S.PAID, True, S.PAID, True, False),  # late payment within grace
    (S.EXPIRED, S.PAID, False, S.EXPIRED, False, True),  # too late: staff decide
    (S.EXPIRED, S.PENDING, True, S.EXPIRED, False, False),
    (S.FAILED, S.PAID, True, S.FAILED, False, True),
    (S.CANCELLED, S.PAID, True, S.CANCELLED, False, True),
    (S.CANCELLED, S.PENDING, True, S.CANCELLED, False, False),
    (S.REFUNDED, S.PAID, True, S.REFUNDED, False, False),
    (S.REFUNDED, S.FAILED, True, S.REFUNDED, False, False),
]


@pytest.mark.parametrize("current, outcome, within_grace, status, applies, review", TABLE)
def test_transition_applies_a_package_only_on_the_way_to_paid(
    current, outcome, within_grace, status, applies, review
):
    decision = transition(current=current, outcome=outcome, within_grace=within_grace)
    assert (decision.status, decision.apply_package, decision.needs_review) == (status, applies, review)


@pytest.mark.parametrize("current", list(S))
def test_a_state_repeated_never_applies_the_package_twice(current):
    outcome = midtrans_outcome("settlement")
    first = transition(current=current, outcome=outcome, within_grace=True)
    second = transition(current=first.status, outcome=outcome, within_grace=True)
    assert not second.apply_package
