"""The staff actions on residents: each a confirmation page (what will change) and one service call."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Device, Room, TampingType, User
from accounts.permissions import StaffAction, staff_may
from accounts.scope import user_may_see_user
from core.admin.confirm import ConfirmedAction, ConfirmForm, OptionalReasonForm, ReasonForm
from core.forms import TypedAmountField
from core.units import format_bytes, format_bytes_exact, local_time_text, to_bytes
from quota import lifecycle
from quota import residents as services
from quota.admin.router_entries import routers_of
from quota.selectors import access_status_of, balance_of, expiry_after_credit_of
from quota.services import grant_bounds_check


def _status(user) -> str:
    return str(access_status_of(user).label)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


class ResidentAction(ConfirmedAction):
    def refusal(self, request, obj):
        if not staff_may(actor_role=request.user.role, action=StaffAction.RESIDENT, target_role=obj.role):
            return _("This action applies to residents only.")
        if not user_may_see_user(request.user, obj):
            return _("This resident lives on a site you do not manage.")
        return self.state_refusal(obj)

    def state_refusal(self, obj) -> str | None:
        return None


class Approve(ResidentAction):
    name, label = "approve", gettext_lazy("Approve registration")

    def state_refusal(self, obj):
        if obj.approval_status != User.Approval.PENDING:
            return _("Only a pending registration can be approved.")

    def preview(self, obj, data):
        rows = [(_("Registration"), obj.get_approval_status_display(), User.Approval.APPROVED.label)]
        if settings.INITIAL_QUOTA_BYTES > 0:
            rows.append((_("Initial quota"), "-", format_bytes(settings.INITIAL_QUOTA_BYTES)))
            until = expiry_after_credit_of(obj, days=settings.INITIAL_QUOTA_DAYS)
            rows.append((_("Valid until"), "-", local_time_text(until)))
        rows.append((_("WhatsApp"), "", _("approval message")))
        return rows

    def apply(self, request, obj, data):
        services.resident_approve(user=obj, actor=request.user)


class Reject(ResidentAction):
    name, label, form_class = "reject", gettext_lazy("Reject registration"), ReasonForm

    state_refusal = Approve.state_refusal

    def preview(self, obj, data):
        return [
            (_("Registration"), obj.get_approval_status_display(), User.Approval.REJECTED.label),
            (_("Reason"), "", data["reason"]),
            (_("WhatsApp"), "", _("rejection message")),
        ]

    def apply(self, request, obj, data):
        services.resident_reject(user=obj, actor=request.user, reason=data["reason"])


class Block(ResidentAction):
    name, label, form_class = "block", gettext_lazy("Block"), ReasonForm

    def state_refusal(self, obj):
        if obj.is_blocked:
            return _("Already blocked.")

    def preview(self, obj, data):
        return [
            (_("Access"), _status(obj), _("Blocked")),
            (_("Reason"), "", data["reason"]),
            (_("Router"), "", _("devices blocked at once")),
        ]

    def apply(self, request, obj, data):
        services.resident_block(user=obj, actor=request.user, reason=data["reason"])


class Unblock(ResidentAction):
    name, label, form_class = "unblock", gettext_lazy("Unblock"), ReasonForm

    def state_refusal(self, obj):
        if not obj.is_blocked:
            return _("This resident is not blocked.")

    def preview(self, obj, data):
        return [(_("Access"), _("Blocked") + f" ({obj.blocked_reason})", _("status from quota and expiry"))]

    def apply(self, request, obj, data):
        services.resident_unblock(user=obj, actor=request.user, reason=data["reason"])


def grant_amount_clean(form, data: dict) -> None:
    """amount + unit → data["amount_bytes"], within what one staff grant may give."""
    if data.get("amount") is None or "unit" not in data:
        return
    data["amount_bytes"] = to_bytes(data["amount"], data["unit"])
    try:
        grant_bounds_check(amount_bytes=data["amount_bytes"])
    except ValidationError as exc:
        form.add_error("amount", exc)


class QuotaForm(ConfirmForm):
    amount = TypedAmountField(label=gettext_lazy("Amount"))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[("GB", "GB"), ("MB", "MB")])
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=3660, initial=30)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)

    def clean(self):
        data = super().clean()
        grant_amount_clean(self, data)
        return data


class Inject(ResidentAction):
    name, label, form_class = "inject", gettext_lazy("Inject quota"), QuotaForm

    def state_refusal(self, obj):
        if obj.approval_status != User.Approval.APPROVED:
            return _("Approve the registration first.")

    def preview(self, obj, data):
        balance = balance_of(obj)
        remaining = balance.remaining_bytes if balance else 0
        until = expiry_after_credit_of(obj, days=data["days"])
        return [
            (_("Amount"), "", format_bytes_exact(data["amount_bytes"])),
            (_("Remaining quota"), format_bytes(remaining), format_bytes(remaining + data["amount_bytes"])),
            (
                _("Valid until"),
                local_time_text(balance.expires_at if balance else None),
                local_time_text(until),
            ),
        ]

    def apply(self, request, obj, data):
        services.resident_inject(
            user=obj,
            actor=request.user,
            amount_bytes=data["amount_bytes"],
            days=data["days"],
            reason=data["reason"],
            idempotency_key=f"inject:{data['token']}:{obj.pk}",
        )


class UnlimitedForm(ReasonForm):
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=3660, initial=30)


class UnlimitedSet(ResidentAction):
    name, label, form_class = "unlimited_set", gettext_lazy("Set unlimited"), UnlimitedForm

    state_refusal = Inject.state_refusal

    def preview(self, obj, data):
        balance = balance_of(obj)
        until = timezone.now() + timedelta(days=data["days"])
        return [
            (_("Unlimited"), _yes_no(bool(balance and balance.is_unlimited)), _yes_no(True)),
            (
                _("Valid until"),
                local_time_text(balance.expires_at if balance else None),
                local_time_text(until),
            ),
        ]

    def apply(self, request, obj, data):
        services.resident_unlimited_set(
            user=obj, actor=request.user, days=data["days"], reason=data["reason"]
        )


class UnlimitedRevoke(ResidentAction):
    name, label, form_class = "unlimited_revoke", gettext_lazy("Revoke unlimited"), ReasonForm

    def state_refusal(self, obj):
        balance = balance_of(obj)
        if not (balance and balance.is_unlimited):
            return _("This resident is not unlimited.")

    def preview(self, obj, data):
        balance = balance_of(obj)
        return [
            (_("Unlimited"), _yes_no(True), _yes_no(False)),
            (_("Remaining quota"), "∞", format_bytes(balance.remaining_bytes)),
        ]

    def apply(self, request, obj, data):
        services.resident_unlimited_revoke(user=obj, actor=request.user, reason=data["reason"])


class DevicesForm(OptionalReasonForm):
    devices = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Devices"), queryset=Device.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["devices"].queryset = Device.objects.filter(user__in=users).order_by("user_id", "pk")
        self.fields["devices"].label_from_instance = lambda d: f"{d.mac} {d.label} ({d.user.full_name})"


class DevicesRemove(ResidentAction):
    name, label, form_class = "devices_remove", gettext_lazy("Remove devices"), DevicesForm

    def form_kwargs(self, objs):
        return {"users": objs}

    def state_refusal(self, obj):
        if not obj.devices.exists():
            return _("No devices.")

    def preview(self, obj, data):
        chosen = [d for d in data["devices"] if d.user_id == obj.pk]
        return [(_("Device"), f"{d.mac} {d.label}", _("removed")) for d in chosen]

    def apply(self, request, obj, data):
        ids = [d.pk for d in data["devices"] if d.user_id == obj.pk]
        if ids:
            services.resident_devices_remove(
                user=obj, actor=request.user, device_ids=ids, reason=data["reason"]
            )


class RouterReset(ResidentAction):
    """Rebuild the resident's entries on the routers of their site, and remove what other sites' routers
    still hold of them (left from before a move). Refused when no enabled router serves their site."""

    name, label, form_class = "router_reset", gettext_lazy("Reset router state"), OptionalReasonForm

    def state_refusal(self, obj):
        if not any(router.site_id == obj.site_id for router in routers_of(obj)):
            return _("No enabled router serves this resident's site: add the site's router first.")

    def preview(self, obj, data):
        rebuilt = _("rebuilt from the database (status: %s)") % _status(obj)
        return [
            (
                _("Router %s") % router.name,
                _("current entries"),
                rebuilt if router.site_id == obj.site_id else _("removed (the router of another site)"),
            )
            for router in routers_of(obj)
        ]

    def apply(self, request, obj, data):
        return services.resident_router_reset(user=obj, actor=request.user, reason=data["reason"])


class Release(ResidentAction):
    """Bebas: the account closes today (see quota.lifecycle.resident_release)."""

    name, label, form_class = "release", gettext_lazy("Release (bebas)"), OptionalReasonForm
    bulk = False

    def state_refusal(self, obj):
        return lifecycle.release_refusal(obj)

    def preview(self, obj, data):
        balance = balance_of(obj)
        remaining = max(balance.remaining_bytes, 0) if balance else 0
        policy = settings.RELEASE_QUOTA_POLICY
        return [
            (_("Account"), _("active"), _("closed today")),
            (_("Phone"), obj.phone, _("free for a new registration")),
            (_("Devices"), str(obj.devices.count()), _("removed from every router in one converge")),
            (
                _("Remaining quota"),
                format_bytes(remaining),
                _("forfeited") if policy == "forfeit" else _("kept on the closed account (refund by staff)"),
            ),
            (_("WhatsApp"), "", _("release message")),
        ]

    def apply(self, request, obj, data):
        lifecycle.resident_release(user=obj, actor=request.user, reason=data["reason"])


class TransferForm(ConfirmForm):
    room = forms.ModelChoiceField(label=gettext_lazy("Room"), queryset=Room.objects.none(), required=False)
    tamping_type = forms.ModelChoiceField(
        label=gettext_lazy("Tamping type"), queryset=TampingType.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.select_related("block__site").order_by(
            "block__site__name", "block__name", "name"
        )
        self.fields["room"].label_from_instance = lambda r: f"{r.block.site} / {r.block.name} / {r.name}"
        self.fields["tamping_type"].queryset = TampingType.objects.select_related("site").order_by("name")

    def clean(self):
        data = super().clean()
        if bool(data.get("room")) == bool(data.get("tamping_type")):
            raise ValidationError(_("Choose a room or a tamping type."))
        return data


class Transfer(ResidentAction):
    name, label, form_class = "transfer", gettext_lazy("Transfer (block, room or site)"), TransferForm
    bulk = False

    def preview(self, obj, data):
        target = data["room"] or data["tamping_type"]
        where = f"{target.block.site} / {target.block.name} / {target.name}" if data["room"] else str(target)
        return [
            (_("Location"), obj.location_label, where),
            (_("Router"), "", _("entries follow the resident in one converge")),
        ]

    def apply(self, request, obj, data):
        lifecycle.resident_transfer(
            user=obj, actor=request.user, room=data["room"], tamping_type=data["tamping_type"]
        )


RESIDENT_ACTIONS = [
    Approve(),
    Reject(),
    Block(),
    Unblock(),
    Inject(),
    UnlimitedSet(),
    UnlimitedRevoke(),
    DevicesRemove(),
    RouterReset(),
    Transfer(),
    Release(),
]
