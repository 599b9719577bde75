"""Starting a debt order: the order row committed first, then Snap asked with no lock held (as purchases)."""

from django.utils.translation import gettext as _

from accounts.models import User
from billing import midtrans
from billing.debt import debt_order_create
from billing.links import order_status_url
from billing.models import Transaction
from billing.services import _order_discard, _order_token_store


def debt_transaction_start(*, user: User) -> Transaction:
    """A Snap order for everything the resident owes now. Raises ValidationError when nothing is owed."""
    tx = debt_order_create(user=user)
    params = {
        "transaction_details": {"order_id": tx.order_id, "gross_amount": tx.amount},
        "item_details": [
            {"id": "DEBT", "price": tx.amount, "quantity": 1, "name": _("Debt settlement")[:50]}
        ],
        "customer_details": {"first_name": user.full_name[:255], "phone": user.phone},
        "callbacks": {"finish": order_status_url(tx.order_id, absolute=True)},
    }
    try:
        response = midtrans.snap_create(params)
    except (midtrans.MidtransUnavailable, midtrans.MidtransRejected):
        _order_discard(order_id=tx.order_id)
        raise
    return _order_token_store(order_id=tx.order_id, response=response)
