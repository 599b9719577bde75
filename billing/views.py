"""Resident purchase pages and the Midtrans notification endpoint. Thin: parse, call a service, answer."""

import json
import logging

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from accounts.permissions import resident_required
from billing import midtrans
from billing.links import order_from_token, order_status_url
from billing.models import Package, Transaction
from billing.services import package_expiry_preview, transaction_confirm, transaction_start
from quota.debt import debt_summary, purchase_split
from quota.selectors import quota_panel

log = logging.getLogger(__name__)

REQUIRED_FIELDS = ("order_id", "status_code", "gross_amount", "signature_key", "transaction_status")
# How each confirmation outcome answers Midtrans: 503 makes it retry 4 times (about 2, 10, 30, 90 min);
# reconciliation picks the transaction up as well.
NOTIFICATION_ANSWERS = {
    "applied": (200, "ok"),
    "unknown_order": (404, "unknown order"),
    "unavailable": (503, "status not confirmed yet, retry"),
    "unknown_at_midtrans": (503, "status not confirmed yet, retry"),
    "amount_mismatch": (400, "amount does not match the order"),
}


def _answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"ok": status == 200, "detail": detail}, status=status)


def _storable(value) -> bool:
    """True when every string in the parsed JSON can be hashed as UTF-8 and kept in PostgreSQL: no lone
    surrogate (a `\\ud800` escape) and no NUL character."""
    if isinstance(value, str):
        return "\x00" not in value and (value.isascii() or _utf8_encodable(value))
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    return True


def _utf8_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@csrf_exempt
@require_POST
def midtrans_notification(request):
    try:
        payload = json.loads(request.body)
        storable = _storable(payload)
    except (ValueError, RecursionError, RequestDataTooBig):
        return _answer(400, "malformed JSON")
    if not storable:
        return _answer(400, "malformed JSON")
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(name), str) and payload[name] for name in REQUIRED_FIELDS
    ):
        return _answer(400, "missing fields: " + ", ".join(REQUIRED_FIELDS))
    if not midtrans.signature_valid(payload):
        log.warning("Midtrans notification with a bad signature for order %.64s", payload["order_id"])
        return _answer(403, "bad signature")
    outcome = transaction_confirm(order_id=payload["order_id"], source="notification", notification=payload)
    return _answer(*NOTIFICATION_ANSWERS[outcome])


@require_GET
@resident_required
def package_list(request):
    packages = list(Package.objects.filter(is_active=True))
    owes = debt_summary(request.user).has_debt
    for package in packages:  # the expiry this purchase would give, shown before the resident pays
        package.expires_after = package_expiry_preview(user=request.user, package=package)
        # What pays debt and what adds to the balance, shown before paying (quota packages only).
        package.split = (
            purchase_split(user=request.user, amount_bytes=package.quota_bytes)
            if owes and not package.is_unlimited
            else None
        )
    transactions = Transaction.objects.filter(user=request.user).select_related("package")[:10]
    return render(
        request,
        "billing/packages.html",
        {
            "packages": packages,
            "owes": owes,
            "transactions": [(tx, order_status_url(tx.order_id)) for tx in transactions],
        },
    )


@require_POST
@resident_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def purchase(request, package_id):
    package = get_object_or_404(Package, pk=package_id, is_active=True)
    return payment_page_open(
        request, lambda: transaction_start(user=request.user, package=package), back="billing:packages"
    )


def payment_page_open(request, start, *, back: str):
    """Start an order with `start()` and send the resident to Midtrans' payment page; anything that stops
    it becomes a message on the page named `back`."""
    try:
        tx = start()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except midtrans.MidtransUnavailable as exc:
        log.warning("Snap unavailable: %s", exc)
        messages.error(
            request, _("The payment service cannot be reached right now. Try again in a few minutes.")
        )
    except midtrans.MidtransRejected as exc:
        log.error("Snap refused an order of %s: %s", request.user.pk, exc)
        messages.error(request, _("The payment could not be started. Try again later or contact staff."))
    else:
        return redirect(tx.redirect_url)
    return redirect(back)


@require_GET
@resident_required
def finish(request):
    """Where a Midtrans dashboard finish URL lands: the resident's own order, then its status page."""
    order_id = request.GET.get("order_id", "")
    if not order_id or len(order_id) > 64 or "\x00" in order_id:  # PostgreSQL refuses NUL in a query
        raise Http404
    tx = get_object_or_404(Transaction, order_id=order_id, user=request.user)
    return redirect(order_status_url(tx.order_id))


@require_GET
@ratelimit(key="ip", rate="30/m", block=True)
def order_status(request, token):
    """The status of one order, confirmed with Midtrans; the query string Midtrans adds is ignored."""
    order_id = order_from_token(token)
    if order_id is None:
        raise Http404
    tx = get_object_or_404(Transaction.objects.select_related("package"), order_id=order_id)
    checked = True
    if tx.status == Transaction.Status.PENDING:
        # "unknown_at_midtrans" is the normal answer until a payment method is chosen.
        outcome = transaction_confirm(order_id=order_id, source="status_page")
        checked = outcome in ("applied", "unknown_at_midtrans")
        tx.refresh_from_db()
    # The balance only for its owner: the signed link may have been opened by someone else.
    owner_paid = tx.status == Transaction.Status.PAID and request.user.pk == tx.user_id
    return render(
        request,
        "billing/order_status.html",
        {
            "tx": tx,
            "checked": checked,
            "status_url": order_status_url(order_id, absolute=True),
            "summary": quota_panel(request.user) if owner_paid else None,
        },
    )
