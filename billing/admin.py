from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import SiteListFilter, SiteScopedAdminMixin, resident_lookups
from billing import admin_debt  # noqa: F401 - adds "grant a package on credit" to the resident admin
from billing.admin_invoices import invoice_link
from billing.models import Package, Transaction, TransactionEvent
from billing.policy import midtrans_outcome
from billing.services import (
    take_back_refusal,
    transaction_confirm,
    transaction_quota_take_back,
    transaction_review_close,
)
from billing.templatetags.billing_tags import package_quota
from core.admin.confirm import ConfirmedAction, ConfirmedActionsMixin
from core.admin.names import NameFieldsMixin
from core.forms import ByteSizeField
from core.units import format_bytes, format_rupiah
from quota.admin.users import RECENT_ROWS, RESIDENT_PAGE_SECTIONS
from quota.selectors import balance_of


class PackageForm(forms.ModelForm):
    quota_bytes = ByteSizeField(label=gettext_lazy("Quota"), help_text=gettext_lazy("0 = unlimited"))
    rate_tier = forms.ChoiceField(label=gettext_lazy("Rate tier"), required=False)

    class Meta:
        model = Package
        fields = ["name", "price", "quota_bytes", "validity_days", "rate_tier", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = [("", _("Default (%(tier)s)") % {"tier": settings.DEFAULT_RATE_TIER})]
        tiers += [(name, f"{name} ({rate})") for name, rate in settings.RATE_TIERS.items()]
        self.fields["rate_tier"].choices = tiers


@admin.register(Package)
class PackageAdmin(NameFieldsMixin, admin.ModelAdmin):
    form = PackageForm
    name_fields = {"name": True}
    list_display = ["name", "price_rp", "quota", "validity_days", "rate_tier", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]

    @admin.display(description=gettext_lazy("price (Rp)"), ordering="price")
    def price_rp(self, package):
        return format_rupiah(package.price)

    @admin.display(description=gettext_lazy("Quota"), ordering="quota_bytes")
    def quota(self, package):
        return package_quota(package)


class TransactionEventInline(admin.TabularInline):
    model = TransactionEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["created_at", "source_shown", "kind_shown", "status_shown", "payload"]

    @admin.display(description=gettext_lazy("source"))
    def source_shown(self, event):
        return event.source_label

    @admin.display(description=gettext_lazy("kind"))
    def kind_shown(self, event):
        return event.kind_label

    @admin.display(description=gettext_lazy("status"))
    def status_shown(self, event):
        """What the word Midtrans sent means for us; the word itself stays in the payload."""
        if event.status in Transaction.Status.values:
            return Transaction.Status(event.status).label
        ours = midtrans_outcome(event.status)
        return Transaction.Status(ours).label if ours else event.status or "-"

    def has_add_permission(self, request, obj=None):
        return False


class TakeBack(ConfirmedAction):
    """A payment reversed after it was applied (refund, chargeback, a deny or cancel that reverses a
    settlement): the quota it gave goes back through the ledger and the review is closed."""

    name, label = "quota_take_back", gettext_lazy("Take the quota back")

    def refusal(self, request, obj):
        return take_back_refusal(obj)

    def preview(self, obj, data):
        balance = balance_of(obj.user)
        remaining = balance.remaining_bytes if balance else 0
        package = obj.package
        rows = [(_("Order"), f"{obj.order_id} · {package.name}", obj.get_status_display())]
        if package.is_unlimited:
            rows.append((_("Unlimited"), _("Yes") if balance and balance.is_unlimited else _("No"), _("No")))
        else:
            taken = min(package.quota_bytes, max(remaining, 0))
            rows.append((_("Remaining quota"), format_bytes(remaining), format_bytes(remaining - taken)))
        rows.append((_("Review"), _("needs review"), _("closed")))
        rows.append((_("WhatsApp"), "", obj.user.phone))
        return rows

    def apply(self, request, obj, data):
        entry = transaction_quota_take_back(order_id=obj.order_id, actor=request.user)
        return _("%(amount)s taken back.") % {"amount": format_bytes(-entry.amount_bytes)}


@admin.register(Transaction)
class TransactionAdmin(SiteScopedAdminMixin, ConfirmedActionsMixin, admin.ModelAdmin):
    site_lookups = resident_lookups("user__")
    confirmed_actions = [TakeBack()]
    list_display = [
        "order_id",
        "user",
        "package",
        "amount_rp",
        "status",
        "paid_at",
    ]  # what fits a 1366 px laptop beside the filters; review flag and creation time are filters
    list_filter = [SiteListFilter, "status", "needs_review", "created_at", "package"]
    date_hierarchy = "created_at"
    search_fields = ["order_id", "user__phone", "user__full_name", "midtrans_transaction_id"]
    list_select_related = ["user", "package"]
    inlines = [TransactionEventInline]
    actions = ["check_with_midtrans", "close_review"]
    change_list_template = "admin/billing/transaction/change_list.html"

    @admin.display(description=gettext_lazy("amount (Rp)"), ordering="amount")
    def amount_rp(self, tx):
        return format_rupiah(tx.amount)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Transaction._meta.fields] + ["invoice"]

    @admin.display(description=gettext_lazy("invoice"))
    def invoice(self, tx):
        return invoice_link(tx)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Check with Midtrans"), permissions=["change"])
    def check_with_midtrans(self, request, queryset):
        for order_id in queryset.values_list("order_id", flat=True):
            outcome = transaction_confirm(order_id=order_id, source="admin")
            status = Transaction.objects.get(order_id=order_id).get_status_display()
            outcomes = {
                "applied": _("%(order)s: %(status)s (confirmed by Midtrans)."),
                "unknown_order": _("%(order)s: no such order."),
                "unavailable": _("%(order)s: Midtrans cannot be reached; still %(status)s."),
                "unknown_at_midtrans": _("%(order)s: Midtrans does not know it yet; still %(status)s."),
                "amount_mismatch": _("%(order)s: Midtrans reports a different amount; still %(status)s."),
            }
            level = messages.SUCCESS if outcome == "applied" else messages.WARNING
            self.message_user(request, outcomes[outcome] % {"order": order_id, "status": status}, level)

    @admin.action(description=gettext_lazy("Mark as reviewed"), permissions=["change"])
    def close_review(self, request, queryset):
        closed = 0
        for tx in queryset.filter(needs_review=True):
            transaction_review_close(order_id=tx.order_id, actor=request.user)
            closed += 1
        self.message_user(request, _("%(count)d transaction(s) marked as reviewed.") % {"count": closed})

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = changelist.queryset.aggregate(
                count=Count("id"),
                paid_count=Count("id", filter=Q(status=Transaction.Status.PAID)),
                paid_amount=Sum("amount", filter=Q(status=Transaction.Status.PAID), default=0),
                pending_count=Count("id", filter=Q(status=Transaction.Status.PENDING)),
                review_count=Count("id", filter=Q(needs_review=True)),
            )
            response.context_data["totals"] = totals
        return response


def _recent_transactions(user) -> dict:
    """The resident page's transactions section."""
    return {
        "transactions": list(Transaction.objects.filter(user=user).select_related("package")[:RECENT_ROWS])
    }


RESIDENT_PAGE_SECTIONS.append(_recent_transactions)
