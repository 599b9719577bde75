"""Form pieces shared by the admin and the resident pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.units import GIB, MIB, to_bytes, typed_amount_parse


class ByteSizeWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                forms.Select(choices=[("GB", "GB"), ("MB", "MB")]),
            ],
            attrs,
        )

    def decompress(self, value):
        if value in (None, ""):
            return [None, "GB"]
        value = int(value)
        if value % GIB == 0 or value >= GIB:
            return [f"{value / GIB:g}", "GB"]
        return [f"{value / MIB:g}", "MB"]


class ByteSizeField(forms.MultiValueField):
    """A number and a unit (GB or MB) typed by a person; cleaned to an integer count of bytes."""

    widget = ByteSizeWidget

    def __init__(self, *, min_bytes=0, **kwargs):
        self.min_bytes = min_bytes
        fields = (forms.CharField(), forms.ChoiceField(choices=[("GB", "GB"), ("MB", "MB")]))
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        amount, unit = data_list
        value = to_bytes(amount, unit)
        if value < self.min_bytes:
            raise ValidationError(_("The amount is too small."), code="min")
        return value


class TypedAmountField(forms.CharField):
    """A number typed by staff: at most two decimals after a point or a comma, no exponent or thousands
    separator. Cleaned to a Decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return typed_amount_parse(value)
