"""Staff actions on a resident's debt: grant on credit, settle in cash, forgive. Confirmed like the others."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.admin.confirm import ConfirmForm, ReasonForm
from core.forms import TypedAmountField
from core.units import format_bytes, format_bytes_exact, format_rupiah
from core.whatsapp import send_after_commit
from core.whatsapp import texts as wa
from quota.admin.resident_actions import ResidentAction, grant_amount_clean
from quota.debt import debt_due_date, debt_forgive, debt_grant, debt_settle_cash, debt_summary
from quota.selectors import balance_of


class DebtGrantForm(ConfirmForm):
    amount = TypedAmountField(label=gettext_lazy("Amount"))
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[("GB", "GB"), ("MB", "MB")])
    price = forms.IntegerField(label=gettext_lazy("Price (Rp)"), min_value=1, max_value=100_000_000)
    reason = forms.CharField(label=gettext_lazy("Note"), max_length=255)

    def clean(self):
        data = super().clean()
        grant_amount_clean(self, data)
        return data


def _owed_text(user) -> str:
    summary = debt_summary(user)
    parts = [format_rupiah(summary.items_rp)]
    if summary.auto_bytes:
        parts.append(_("auto debt %(bytes)s") % {"bytes": format_bytes(summary.auto_bytes)})
    return " + ".join(parts)


class DebtGrant(ResidentAction):
    name, label, form_class = "debt_grant", gettext_lazy("Grant quota on credit"), DebtGrantForm

    def state_refusal(self, obj):
        if obj.approval_status != User.Approval.APPROVED:
            return _("Approve the registration first.")
        if obj.role != User.Role.USER:
            return _("Only residents can carry debt; Komandan and staff never do.")
        balance = balance_of(obj)
        if balance and balance.is_unlimited:
            return _("A resident with unlimited access cannot get quota on credit.")

    def preview(self, obj, data):
        return [
            (_("Amount"), "", format_bytes_exact(data["amount_bytes"])),
            (_("Debt"), _owed_text(obj), "+ " + format_rupiah(data["price"])),
            (_("Due date"), "", debt_due_date(user=obj).strftime("%d-%m-%Y")),
        ]

    def apply(self, request, obj, data):
        item = debt_grant(
            user=obj,
            amount_bytes=data["amount_bytes"],
            price_rp=data["price"],
            actor=request.user,
            note=data["reason"],
            days=data.get("days", 30),  # a package given on credit brings its own validity
            idempotency_key=f"debt:{data['token']}:{obj.pk}",
        )
        send_after_commit(
            phone=obj.phone,
            text=wa.debt_granted(amount_bytes=item.amount_bytes, price=item.price_rp, due=item.due_date),
        )


class DebtSettleCash(ResidentAction):
    """Cash at the counter for every open debt item (auto debt is paid by a purchase or online)."""

    name, label = "debt_settle_cash", gettext_lazy("Settle debt items in cash")

    def state_refusal(self, obj):
        if not debt_summary(obj).items:
            return _("This resident has no open debt items.")

    def preview(self, obj, data):
        summary = debt_summary(obj)
        return [(_("Cash to collect"), "", format_rupiah(summary.items_rp))] + [
            (o.item.note or _("Debt item"), format_rupiah(o.open_rp), _("settled")) for o in summary.items
        ]

    def apply(self, request, obj, data):
        summary = debt_summary(obj)
        debt_settle_cash(user=obj, actor=request.user, amount_rp=summary.items_rp)


class DebtForgive(ResidentAction):
    name, label, form_class = "debt_forgive", gettext_lazy("Forgive debt"), ReasonForm

    def state_refusal(self, obj):
        if not debt_summary(obj).has_debt:
            return _("This resident owes nothing.")

    def preview(self, obj, data):
        return [(_("Debt"), _owed_text(obj), format_rupiah(0)), (_("Reason"), "", data["reason"])]

    def apply(self, request, obj, data):
        debt_forgive(user=obj, actor=request.user, reason=data["reason"])


DEBT_ACTIONS = [DebtGrant(), DebtSettleCash(), DebtForgive()]
