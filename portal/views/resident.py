"""Resident pages: quota, devices (list, rename, remove), history, and the main-browser login link."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Device
from accounts.permissions import resident_required
from accounts.services import device_remove, device_rename
from portal import login as captive
from portal.forms import DeviceRenameForm
from quota.models import QuotaEntry
from quota.pruning import devices_pruned_for
from quota.selectors import quota_panel

HISTORY_ROWS = 50


@resident_required
def home(request):
    return render(
        request,
        "resident/home.html",
        {"summary": quota_panel(request.user), "buy_url": reverse("billing:packages")},
    )


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
    device_remove(device=device, actor=request.user, reason="removed by the resident")
    messages.success(request, _("Device removed. It will need a new code to connect again."))
    return redirect("resident:devices")


@resident_required
def history(request):
    entries = QuotaEntry.objects.filter(user=request.user).order_by("-created_at", "-id")[:HISTORY_ROWS]
    return render(request, "resident/history.html", {"entries": entries})


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
