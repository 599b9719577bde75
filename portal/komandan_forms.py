"""The Komandan request form: an amount in GB or MB and days, or unlimited when the settings allow it."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.units import format_bytes, to_bytes
from quota.models import QuotaRequest


class KomandanRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What do you need?"), widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=[("GB", "GB"), ("MB", "MB")], initial="GB")
    days = forms.IntegerField(label=gettext_lazy("For how many days?"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(QuotaRequest.Kind.QUOTA, _("Quota"))]
        if settings.KOMANDAN_ALLOW_UNLIMITED:
            kinds.append((QuotaRequest.Kind.UNLIMITED, _("Unlimited")))
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = QuotaRequest.Kind.QUOTA
        self.fields["days"].validators.append(MaxValueValidator(settings.KOMANDAN_MAX_REQUEST_DAYS))
        self.fields["days"].widget.attrs["max"] = settings.KOMANDAN_MAX_REQUEST_DAYS
        self.fields["days"].help_text = _("At most %(days)d days.") % {
            "days": settings.KOMANDAN_MAX_REQUEST_DAYS
        }
        self.fields["amount"].help_text = _("At most %(max)s.") % {
            "max": format_bytes(settings.KOMANDAN_MAX_REQUEST_BYTES)
        }

    def clean(self):
        data = super().clean()
        data["requested_bytes"] = 0
        if data.get("kind") == QuotaRequest.Kind.QUOTA:
            if data.get("amount") in (None, ""):
                self.add_error("amount", _("Enter the amount of quota."))
            elif "unit" in data:
                data["requested_bytes"] = to_bytes(data["amount"], data["unit"])
        return data
