"""Routers in the admin: their health at a glance. Registered by quota.admin.routers, which adds the
actions that need the desired state (converge now, check)."""

from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from routers.models import Router


class RouterForm(forms.ModelForm):
    """The password is never shown again; leaving it empty keeps the stored one."""

    password = forms.CharField(
        # An explicit form field is not capitalised by the admin like the model's own labels.
        label=capfirst(gettext_lazy("API password")),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty to keep the current password."),
    )

    class Meta:
        model = Router
        fields = ["site", "name", "host", "port", "use_tls", "username", "password", "enabled"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if not password and self.instance.pk:
            return Router.objects.filter(pk=self.instance.pk).values_list("password", flat=True).first() or ""
        return password or ""


class RouterAdmin(admin.ModelAdmin):
    form = RouterForm
    list_display = [
        "name",
        "site",
        "host",
        "port",
        "use_tls",
        "enabled",
        "last_contact_at",
        "pending_changes",
        "last_error",
        "last_error_at",
    ]
    list_filter = ["enabled"]
    list_select_related = ["site"]
    search_fields = ["name", "host"]
    readonly_fields = ["last_contact_at", "last_error", "last_error_at", "pending_changes", "snapshot_at"]
