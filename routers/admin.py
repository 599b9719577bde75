"""Routers in the admin: their health at a glance, and two actions (converge now, check).

The actions run inside the staff member's request: one connection attempt per router, so a router that is
down costs one timeout (MIKROTIK_TIMEOUT_S), not the retries with backoff the schedule can afford."""

from django import forms
from django.contrib import admin, messages
from django.utils.text import capfirst
from django.utils.translation import gettext as _
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
        fields = ["name", "host", "port", "use_tls", "username", "password", "enabled"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if not password and self.instance.pk:
            return Router.objects.filter(pk=self.instance.pk).values_list("password", flat=True).first() or ""
        return password or ""


@admin.register(Router)
class RouterAdmin(admin.ModelAdmin):
    form = RouterForm
    list_display = [
        "name",
        "host",
        "port",
        "use_tls",
        "enabled",
        "last_contact_at",
        "pending_changes",
        "last_error",
    ]
    list_filter = ["enabled"]
    search_fields = ["name", "host"]
    readonly_fields = ["last_contact_at", "last_error", "pending_changes"]
    actions = ["converge_now", "check_now"]

    @admin.action(description=gettext_lazy("Converge now (apply the database to the router)"))
    def converge_now(self, request, queryset):
        from quota.router_state import full_reconcile  # an entry point: the domain builds the state

        for router in queryset:
            [result] = full_reconcile(router=router, attempts=1)
            if result.ok:
                report = result.report
                self.message_user(
                    request,
                    _("%(router)s: %(adds)d added, %(sets)d changed, %(removes)d removed.")
                    % {
                        "router": router.name,
                        "adds": report.adds,
                        "sets": report.sets,
                        "removes": report.removes,
                    },
                    messages.SUCCESS if not report.errors else messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(router)s could not be reached: %(error)s")
                    % {"router": router.name, "error": result.error},
                    messages.ERROR,
                )

    @admin.action(description=gettext_lazy("Check connection and drift"))
    def check_now(self, request, queryset):
        from quota.router_state import router_check_against_db  # an entry point: the domain builds the state

        for router in queryset:
            check = router_check_against_db(router, attempts=1)
            if check.ok:
                self.message_user(
                    request,
                    _("%(router)s: connected (%(identity)s, RouterOS %(version)s), %(drift)d difference(s).")
                    % {
                        "router": router.name,
                        "identity": check.identity,
                        "version": check.version,
                        "drift": check.drift,
                    },
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("%(router)s could not be reached: %(error)s")
                    % {"router": router.name, "error": check.error},
                    messages.ERROR,
                )
