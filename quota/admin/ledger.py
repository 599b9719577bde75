"""Admin for quota: the ledger and balances (read-only), daily usage, and Komandan requests."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit_labels import reason_label
from accounts.permissions import StaffAction, staff_may
from accounts.scope import SiteListFilter, SiteScopedAdminMixin, resident_lookups, user_may_see_user
from core.admin.confirm import ConfirmedAction, ConfirmedActionsMixin, ReasonForm
from core.admin.readonly import ReadOnlyAdmin
from core.forms import TypedAmountField
from core.units import format_bytes, format_bytes_exact, local_time_text, to_bytes
from quota import komandan
from quota.komandan import describe_asked as _asked
from quota.komandan import describe_granted
from quota.models import DailyUsage, QuotaBalance, QuotaEntry, QuotaRequest
from quota.selectors import balance_of, expiry_after_credit_of
from quota.services import grant_bounds_check


@admin.register(QuotaEntry)
class QuotaEntryAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    """The ledger is append-only: entries come from services, never from this page."""

    site_lookups = resident_lookups("user__")
    list_display = ("created_at", "user", "kind", "amount", "reason_shown", "reference", "actor")
    list_filter = (SiteListFilter, "kind", "created_at")
    search_fields = ("user__phone", "user__full_name", "reference", "idempotency_key")
    list_select_related = ("user", "actor")
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("amount"), ordering="amount_bytes")
    def amount(self, obj):
        return format_bytes(obj.amount_bytes)

    @admin.display(description=gettext_lazy("reason"))
    def reason_shown(self, obj):
        return reason_label(obj.reason)


@admin.register(QuotaBalance)
class QuotaBalanceAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    site_lookups = resident_lookups("user__")
    list_display = ("user", "purchased", "used", "remaining", "expires_at", "is_unlimited", "rate_tier")
    list_filter = (SiteListFilter, "is_unlimited", "rate_tier")
    search_fields = ("user__phone", "user__full_name")
    list_select_related = ("user",)

    @admin.display(description=gettext_lazy("purchased"), ordering="purchased_bytes")
    def purchased(self, obj):
        return format_bytes(obj.purchased_bytes)

    @admin.display(description=gettext_lazy("used"), ordering="used_bytes")
    def used(self, obj):
        return format_bytes(obj.used_bytes)

    @admin.display(description=gettext_lazy("remaining"))
    def remaining(self, obj):
        return "∞" if obj.is_unlimited else format_bytes(obj.remaining_bytes)


@admin.register(DailyUsage)
class DailyUsageAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    site_lookups = resident_lookups("user__")
    list_display = ("date", "user", "usage")
    list_filter = (SiteListFilter, "date")
    search_fields = ("user__phone", "user__full_name")
    list_select_related = ("user",)
    date_hierarchy = "date"

    @admin.display(description=gettext_lazy("usage"), ordering="bytes")
    def usage(self, obj):
        return format_bytes(obj.bytes)


class RequestAction(ConfirmedAction):
    def refusal(self, request, obj):
        if not staff_may(
            actor_role=request.user.role, action=StaffAction.RESIDENT, target_role=obj.requester.role
        ):
            return _("This action applies to residents only.")
        if not user_may_see_user(request.user, obj.requester):
            return _("This resident lives on a site you do not manage.")
        if obj.status != QuotaRequest.Status.PENDING:
            return _("This request was already processed (%(status)s).") % {
                "status": obj.get_status_display()
            }
        return None


def _validity_row(komandan_user, *, unlimited: bool, days: int):
    """Valid until, before and after the grant (as quota_request_approve applies it)."""
    balance = balance_of(komandan_user)
    current = balance.expires_at if balance else None
    if unlimited:
        until = timezone.now() + timedelta(days=days)
    else:
        until = expiry_after_credit_of(komandan_user, days=days)
    return (_("Valid until"), local_time_text(current), local_time_text(until))


class ApproveRequest(RequestAction):
    name, label = "request_approve", gettext_lazy("Approve as requested")

    def preview(self, obj, data):
        unlimited = obj.kind == QuotaRequest.Kind.UNLIMITED
        return [
            (_("Request"), _asked(obj), _("approved")),
            _validity_row(obj.requester, unlimited=unlimited, days=obj.requested_days),
            (_("WhatsApp"), "", obj.requester.phone),
        ]

    def apply(self, request, obj, data):
        komandan.quota_request_approve(request_id=obj.pk, actor=request.user)


class PartialForm(ReasonForm):
    amount = TypedAmountField(label=gettext_lazy("Grant"))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[("GB", "GB"), ("MB", "MB")])
    days = forms.IntegerField(label=gettext_lazy("Days"), min_value=1, max_value=3660)

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and "unit" in data:
            data["amount_bytes"] = to_bytes(data["amount"], data["unit"])
            # No bytes on an unlimited request means unlimited for fewer days; otherwise a staff grant.
            if data["amount_bytes"] > 0:
                try:
                    grant_bounds_check(amount_bytes=data["amount_bytes"])
                except ValidationError as exc:
                    self.add_error("amount", exc)
        return data


class PartlyApproveRequest(RequestAction):
    name, label, form_class = "request_partial", gettext_lazy("Grant less (partly approve)"), PartialForm
    bulk = False

    def preview(self, obj, data):
        # As quota_request_approve reads it: no bytes on an unlimited request is unlimited for fewer days.
        unlimited = obj.kind == QuotaRequest.Kind.UNLIMITED and not data["amount_bytes"]
        granted = komandan.describe(
            kind=QuotaRequest.Kind.UNLIMITED if unlimited else QuotaRequest.Kind.QUOTA,
            amount_bytes=data["amount_bytes"],
            days=data["days"],
        )
        amount_rows = [] if unlimited else [(_("Amount"), "", format_bytes_exact(data["amount_bytes"]))]
        return [
            (_("Request"), _asked(obj), _("partly approved: %s") % granted),
            *amount_rows,
            _validity_row(obj.requester, unlimited=unlimited, days=data["days"]),
            (_("Reason"), "", data["reason"]),
        ]

    def apply(self, request, obj, data):
        komandan.quota_request_approve(
            request_id=obj.pk,
            actor=request.user,
            granted_bytes=data["amount_bytes"],
            granted_days=data["days"],
            reason=data["reason"],
        )


class RejectRequest(RequestAction):
    name, label, form_class = "request_reject", gettext_lazy("Reject"), ReasonForm

    def preview(self, obj, data):
        return [(_("Request"), _asked(obj), _("rejected")), (_("Reason"), "", data["reason"])]

    def apply(self, request, obj, data):
        komandan.quota_request_reject(request_id=obj.pk, actor=request.user, reason=data["reason"])


@admin.register(QuotaRequest)
class QuotaRequestAdmin(SiteScopedAdminMixin, ConfirmedActionsMixin, admin.ModelAdmin):
    site_lookups = resident_lookups("requester__")
    confirmed_actions = [ApproveRequest(), PartlyApproveRequest(), RejectRequest()]
    change_form_template = "admin/quota/quotarequest/lps_change_form.html"
    list_display = (
        "created_at",
        "requester",
        "kind",
        "asked",
        "status",
        "granted",
        "processed_by",
    )  # fits 1366 px beside the filters; the moment it was processed is on the change page
    list_filter = (SiteListFilter, "status", "kind", "created_at")
    search_fields = ("requester__phone", "requester__full_name")
    list_select_related = ("requester", "processed_by")
    date_hierarchy = "created_at"
    actions = None
    # Amounts as people read them, not raw byte counts.
    fields = readonly_fields = (
        "requester",
        "kind",
        "asked",
        "status",
        "granted",
        "reason",
        "processed_by",
        "processed_at",
        "created_at",
    )

    @admin.display(description=gettext_lazy("requested"))
    def asked(self, obj):
        return _asked(obj)

    @admin.display(description=gettext_lazy("granted"))
    def granted(self, obj):
        if obj.status in (QuotaRequest.Status.PENDING, QuotaRequest.Status.REJECTED):
            return "-"
        return describe_granted(obj)

    def has_add_permission(self, request):
        return False  # Komandan ask on their own page

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "lps_object_actions": self.object_actions_for(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)
