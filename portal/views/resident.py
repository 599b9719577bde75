"""Resident pages: quota, devices (list, rename, remove), history, and the main-browser login link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Device
from accounts.permissions import resident_may_enter, resident_required
from accounts.services import device_remove, device_rename
from core.charts import bar_chart_svg
from core.units import format_bytes
from portal import login as captive
from portal.forms import DeviceRenameForm
from portal.history import daily_usage_points, history_rows, quota_meter
from quota.announcements import announcements_current
from quota.debt import debt_summary
from quota.pruning import devices_pruned_for
from quota.selectors import quota_panel

HISTORY_ROWS = 30
CHART_DAYS = 30
# Stored in the audit trail as written; the admin shows it translated (accounts.audit.reason_label).
REMOVED_BY_RESIDENT = gettext_noop("removed by the resident")


@resident_required
def home(request):
    summary = quota_panel(request.user)
    points = daily_usage_points(request.user, now=summary["now"], days=CHART_DAYS)
    chart = bar_chart_svg(
        [(day.strftime("%d/%m"), value) for day, value in points],
        title=_("Last %(days)d days") % {"days": CHART_DAYS},
        format_value=format_bytes,
        width=320,
        height=130,
    )
    context = {
        "summary": summary,
        "meter": quota_meter(request.user, remaining_bytes=summary["remaining_bytes"]),
        "chart": chart,
        "buy_url": reverse("billing:packages"),
        "announcements": announcements_current(),
        "owes": debt_summary(request.user).has_debt,
    }
    return render(request, "resident/home.html", context)


@resident_required
def devices(request):
    rows = Device.objects.filter(user=request.user, is_authorized=True).order_by("-last_seen", "pk")
    return render(
        request, "resident/devices.html", {"devices": rows, "pruned": devices_pruned_for(request.user)}
    )


@resident_required
@require_http_methods(["GET", "POST"])
def device_edit(request, pk):
    device = get_object_or_404(Device, pk=pk, user=request.user, is_authorized=True)
    form = DeviceRenameForm(request.POST or None, initial={"label": device.label})
    if request.method == "POST" and form.is_valid():
        try:
            device_rename(device=device, label=form.cleaned_data["label"], actor=request.user)
        except ValidationError as exc:
            form.add_error("label", exc)
        else:
            messages.success(request, _("Device name saved."))
            return redirect("resident:devices")
    return render(request, "resident/device_edit.html", {"device": device, "form": form})


@resident_required
@require_POST
def device_delete(request, pk):
    device = get_object_or_404(Device, pk=pk, user=request.user, is_authorized=True)
    device_remove(device=device, actor=request.user, reason=REMOVED_BY_RESIDENT)
    messages.success(request, _("Device removed. It will need a new code to connect again."))
    return redirect("resident:devices")


@resident_required
def history(request):
    page = Paginator(history_rows(request.user), HISTORY_ROWS).get_page(request.GET.get("halaman"))
    return render(
        request,
        "resident/history.html",
        {"page": page, "rows": page.object_list, "days": settings.RESIDENT_HISTORY_DAYS},
    )


@require_http_methods(["GET"])
def open_in_main_browser(request, token):
    """The signed, single-use link from "Terhubung": logs this browser in and goes to the resident home."""
    try:
        user = captive.main_browser_link_use(token=token)
    except captive.LoginRefused as refusal:
        return render(request, "captive/refused.html", {"message": refusal.message}, status=403)
    login(request, user)
    return redirect("resident:home")


@require_POST
def sign_out(request):
    logout(request)
    return redirect("captive:portal")


@require_http_methods(["GET", "HEAD"])
def landing(request):
    """`/`: the resident's own page when signed in, staff to the admin, anyone else to the WiFi login."""
    user = request.user
    if resident_may_enter(user):
        return redirect("resident:home")
    if user.is_authenticated and user.is_staff:
        return redirect("admin:index")
    return redirect("captive:portal")
