"""The Komandan page: ask staff for quota or unlimited access and see earlier requests."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import resident_required
from portal.komandan_forms import KomandanRequestForm
from quota import komandan
from quota.models import QuotaRequest

HISTORY_ROWS = 20


@resident_required
@require_http_methods(["GET", "POST"])
def komandan_requests(request):
    if request.user.role != User.Role.KOMANDAN:
        return render(request, "komandan/not_komandan.html", status=403)
    form = KomandanRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            komandan.quota_request_create(
                requester=request.user,
                kind=form.cleaned_data["kind"],
                requested_bytes=form.cleaned_data["requested_bytes"],
                requested_days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request has been sent to staff."))
            return redirect("komandan:requests")
    history = list(QuotaRequest.objects.filter(requester=request.user).order_by("-created_at")[:HISTORY_ROWS])
    pending = next((r for r in history if r.status == QuotaRequest.Status.PENDING), None)
    wait = komandan.cooldown_remaining(
        last_requested_at=history[0].created_at if history else None,
        now=timezone.now(),
        hours=settings.KOMANDAN_REQUEST_COOLDOWN_HOURS,
    )
    context = {
        "form": form,
        "history": [{"request": r, "what": _describe(r)} for r in history],
        "pending": pending,
        "next_allowed_at": timezone.now() + wait if wait else None,
    }
    return render(request, "komandan/requests.html", context)


def _describe(request: QuotaRequest) -> str:
    asked = komandan.describe_asked(request)
    if request.status in (QuotaRequest.Status.APPROVED, QuotaRequest.Status.PARTIALLY_APPROVED):
        granted = komandan.describe_granted(request)
        return _("%(asked)s → granted %(granted)s") % {"asked": asked, "granted": granted}
    return asked
