"""Grant a package on credit, from the resident's page: its quota and its price become a debt item.

quota owns the debt and the resident actions but cannot import billing's packages, so billing adds this
one action to the resident admin (the raw GB/MB grant on credit is quota's own)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.models import Package
from core.admin.confirm import ConfirmForm
from core.units import format_bytes, format_rupiah
from quota.admin.debt_actions import DebtGrant
from quota.admin.users import UserAdmin


class DebtGrantPackageForm(ConfirmForm):
    package = forms.ModelChoiceField(
        label=gettext_lazy("Package"),
        queryset=Package.objects.filter(is_active=True, quota_bytes__gt=0).order_by("price"),
        help_text=gettext_lazy("Unlimited packages cannot be given on credit."),
    )

    def clean(self):
        data = super().clean()
        package = data.get("package")
        if package is not None:
            data["amount_bytes"] = package.quota_bytes
            data["price"] = package.price
            data["days"] = package.validity_days
            data["reason"] = _("Package: %(name)s (%(quota)s, %(price)s)") % {
                "name": package.name,
                "quota": format_bytes(package.quota_bytes),
                "price": format_rupiah(package.price),
            }
        return data


class DebtGrantPackage(DebtGrant):
    """The same grant on credit as DebtGrant, with the amount, price and note taken from a package."""

    name, label, form_class = (
        "debt_grant_package",
        gettext_lazy("Grant a package on credit"),
        DebtGrantPackageForm,
    )


UserAdmin.confirmed_actions = [*UserAdmin.confirmed_actions, DebtGrantPackage()]
