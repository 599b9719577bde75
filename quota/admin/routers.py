"""Routers in the admin with their two actions: converge now, and check connection and drift.

The actions run inside the staff member's request: one connection attempt per router, so a router that is
down costs one timeout (MIKROTIK_TIMEOUT_S), not the retries with backoff the schedule can afford."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import SiteListFilter, SiteScopedAdminMixin
from quota.router_state import full_reconcile, router_check_against_db
from routers.admin import RouterAdmin as RouterBaseAdmin
from routers.models import Router


@admin.register(Router)
class RouterAdmin(SiteScopedAdminMixin, RouterBaseAdmin):
    """Held to the staff member's sites (accounts.scope), with a site filter."""

    site_lookups = ("site",)
    list_filter = [SiteListFilter, "enabled"]
    actions = ["converge_now", "check_now"]

    @admin.action(description=gettext_lazy("Converge now (apply the database to the router)"))
    def converge_now(self, request, queryset):
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
