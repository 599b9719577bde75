"""The resident's "Bayar utang" page: what they owe (open items, auto debt, the total) and the button that
starts a debt order through Midtrans. Thin: read, call a service, answer."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.permissions import resident_required
from billing.debt import auto_debt_price, debt_order_quote
from billing.debt_orders import debt_transaction_start
from billing.views import payment_page_open

log = logging.getLogger(__name__)


@require_GET
@resident_required
def debt_page(request):
    try:
        _plan, total, summary = debt_order_quote(request.user)
        auto_rp = auto_debt_price(summary.auto_bytes)
    except ValidationError as exc:  # no package on sale to price auto debt
        messages.error(request, " ".join(exc.messages))
        _plan, total, summary, auto_rp = None, 0, None, 0
    return render(
        request,
        "billing/debt.html",
        {"summary": summary, "total": total, "auto_rp": auto_rp},
    )


@require_POST
@resident_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def debt_pay(request):
    return payment_page_open(request, lambda: debt_transaction_start(user=request.user), back="billing:debt")
