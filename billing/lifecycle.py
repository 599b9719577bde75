"""Billing's say in the account lifecycle: a resident with a pending payment is not released until it
settles or expires (registered in quota.lifecycle.RELEASE_GUARDS by BillingConfig.ready)."""

from django.utils.translation import gettext as _

from billing.models import Transaction


def pending_payment_refusal(user) -> str | None:
    pending = Transaction.objects.filter(user=user, status=Transaction.Status.PENDING).order_by("pk").first()
    if pending is None:
        return None
    return _("Payment %(order)s is still pending: release after it settles or expires.") % {
        "order": pending.order_id
    }
