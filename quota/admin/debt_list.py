"""The debt list: every debt item, filtered by site (scoped to the staff member's sites), open/overdue,
block and due date, with a bulk "send reminder" action."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.scope import SiteListFilter, SiteScopedAdminMixin, resident_lookups
from core.units import format_bytes, format_rupiah
from core.whatsapp import send_after_commit
from core.whatsapp import texts as wa
from quota.debt import debt_summary
from quota.models import DebtItem


class DebtStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "open":
            return queryset.filter(closed_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(closed_at__isnull=True, due_date__lt=today)
        if self.value() == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset


@admin.register(DebtItem)
class DebtItemAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    site_lookups = resident_lookups("user__")
    list_display = ["user", "block", "note", "quota", "price", "due_date", "closed_how", "created_at"]
    list_filter = [
        SiteListFilter,
        DebtStateFilter,
        ("user__block", admin.RelatedOnlyFieldListFilter),  # blocks of the sites the admin sees
        "closed_how",
        "due_date",
    ]
    search_fields = ["user__phone", "user__full_name", "note"]
    list_select_related = ["user", "user__block"]
    date_hierarchy = "due_date"
    actions = ["send_reminder"]

    @admin.display(description=gettext_lazy("block"), ordering="user__block__name")
    def block(self, item):
        return item.user.block or "-"

    @admin.display(description=gettext_lazy("amount"), ordering="amount_bytes")
    def quota(self, item):
        return format_bytes(item.amount_bytes)

    @admin.display(description=gettext_lazy("price (Rp)"), ordering="price_rp")
    def price(self, item):
        return format_rupiah(item.price_rp)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in DebtItem._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Send a debt reminder by WhatsApp"), permissions=["change"])
    def send_reminder(self, request, queryset):
        """One reminder per resident with open items among the selection (what they owe in total)."""
        users = {item.user for item in queryset.filter(closed_at__isnull=True).select_related("user")}
        sent = 0
        for user in sorted(users, key=lambda u: u.pk):
            summary = debt_summary(user)
            if not summary.items:
                continue
            due = min(o.item.due_date for o in summary.items)
            with transaction.atomic():
                send_after_commit(
                    phone=user.phone, text=wa.debt_staff_reminder(amount=summary.items_rp, due=due)
                )
                audit_record(
                    actor=request.user,
                    action="debt.remind",
                    target_user=user,
                    obj=user,
                    after={"amount_rp": summary.items_rp, "due_date": due.isoformat()},
                )
            sent += 1
        level = messages.SUCCESS if sent else messages.WARNING
        self.message_user(request, _("%(count)d reminder(s) sent.") % {"count": sent}, level)


def debt_panel(user) -> dict:
    """The resident page's debt section: what is owed now and the latest items (open and closed)."""
    summary = debt_summary(user)
    open_ids = {o.item.pk: o for o in summary.items}
    items = list(DebtItem.objects.filter(user=user).order_by("-created_at", "-id")[:15])
    return {
        "has_debt": summary.has_debt,
        "items_rp": format_rupiah(summary.items_rp),
        "auto": format_bytes(summary.auto_bytes) if summary.auto_bytes else "",
        "rows": [
            {
                "item": item,
                "quota": format_bytes(item.amount_bytes),
                "price": format_rupiah(item.price_rp),
                "open": format_rupiah(open_ids[item.pk].open_rp) if item.pk in open_ids else "",
            }
            for item in items
        ],
    }
