"""Starting a debt order: the order row committed first, then Snap asked with no lock held (as purchases)."""

from django.utils.translation import gettext as _

from accounts.models import User
from billing.debt import debt_order_create
from billing.models import Transaction
from billing.services import snap_order_open


def debt_transaction_start(*, user: User) -> Transaction:
    """A Snap order for everything the resident owes now. Raises ValidationError when nothing is owed."""
    tx = debt_order_create(user=user)
    return snap_order_open(tx=tx, user=user, item_id="DEBT", item_name=_("Debt settlement"))
