"""Forms of the captive portal and the resident pages. Errors are sentences a resident understands."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Room, TampingType
from accounts.otp import code_normalize
from core.names import NameField
from core.phone import normalize_phone


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _lazy("WhatsApp number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "placeholder": "08xxxxxxxxxx", "autofocus": True}
        )

    def clean(self, value):
        return normalize_phone(super().clean(value))


class PhoneForm(forms.Form):
    phone = PhoneField()


class CodeForm(forms.Form):
    code = forms.CharField(label=_lazy("Code from WhatsApp"), max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "placeholder": "123456",
                "autofocus": True,
            }
        )

    def clean_code(self):
        code = code_normalize(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("The code has 6 digits."), code="code_format")
        return code


class RegistrationForm(forms.Form):
    phone = PhoneField()
    full_name = NameField(label=_lazy("Full name"), max_length=120, min_length=3)
    room = forms.ModelChoiceField(
        label=_lazy("Block and room"),
        queryset=Room.objects.select_related("block"),
        required=False,
        empty_label=_lazy("(choose)"),
    )
    tamping_type = forms.ModelChoiceField(
        label=_lazy("Or tamping type"),
        queryset=TampingType.objects.all(),
        required=False,
        empty_label=_lazy("(not tamping)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.pop("autofocus", None)
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})

    def clean(self):
        data = super().clean()
        if data.get("room") and data.get("tamping_type"):
            raise ValidationError(_("Choose either a room or a tamping type, not both."), code="location")
        if not self.errors and not data.get("room") and not data.get("tamping_type"):
            raise ValidationError(_("Choose a block and room, or a tamping type."), code="location")
        return data


class DeviceRenameForm(forms.Form):
    label = NameField(label=_lazy("Device name"), max_length=60, required=False)
