"""Admin for the account-level models: sites, locations, devices and the read-only audit trail. Every
admin is held to the staff member's sites (accounts.scope).

The user admin lives in lpsaring/admin (it shows quota, billing and router data, which accounts may not
import).
"""

import csv
import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.audit import action_label
from accounts.models import AuditEntry, Block, Device, Room, TampingType, User
from accounts.permissions import StaffAction, staff_may
from accounts.scope import SiteListFilter, SiteScopedAdminMixin, resident_lookups, staff_site_ids
from core.admin.readonly import ReadOnlyAdmin
from routers.models import Router
from sites.models import Site

CSV_COLUMNS = (
    "created_at",
    "actor",
    "action",
    "target_user",
    "object_type",
    "object_id",
    "reason",
    "before",
    "after",
)


@admin.register(Site)
class SiteAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    """Sites are settings: a SUPER_ADMIN adds and changes them; staff limited to sites see theirs. A site
    that still has blocks, tamping types or routers cannot be deleted (the admin lists what protects it),
    nor can the default site."""

    site_lookups = ("pk",)
    list_display = ("name", "code", "time_zone", "is_default", "router_count", "block_count")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                routers_total=Count("routers", distinct=True), blocks_total=Count("blocks", distinct=True)
            )
        )

    @admin.display(description=_("routers"), ordering="routers_total")
    def router_count(self, site):
        return site.routers_total

    @admin.display(description=_("blocks"), ordering="blocks_total")
    def block_count(self, site):
        return site.blocks_total

    def _may_manage(self, request) -> bool:
        return staff_may(actor_role=request.user.role, action=StaffAction.SETTINGS)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._may_manage(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj) and self._may_manage(request)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = ("site", "name")

    def clean_site(self):
        site = self.cleaned_data["site"]
        moved = self.instance.pk is not None and self.instance.site_id != site.pk
        if moved and not Router.objects.filter(site=site, enabled=True).exists():
            raise ValidationError(
                gettext(
                    "Site %(site)s has no enabled router yet: its residents could not go online. "
                    "Add the site's router first, then move the block."
                )
                % {"site": site.name},
                code="site_without_router",
            )
        return site


@admin.register(Block)
class BlockAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    form = BlockForm
    site_lookups = ("site",)
    list_display = ("name", "site", "room_count")
    list_filter = (SiteListFilter,)
    list_select_related = ("site",)
    search_fields = ("name",)
    inlines = [RoomInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rooms_total=Count("rooms"))

    @admin.display(description=_("rooms"), ordering="rooms_total")
    def room_count(self, obj):
        return obj.rooms_total


@admin.register(Room)
class RoomAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    site_lookups = ("block__site",)
    list_display = ("name", "block", "site")
    list_filter = (SiteListFilter, ("block", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "block__name")
    list_select_related = ("block__site",)

    @admin.display(description=_("site"), ordering="block__site__name")
    def site(self, room):
        return room.block.site


@admin.register(TampingType)
class TampingTypeAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    site_lookups = ("site",)
    list_display = ("name", "site")
    list_filter = (SiteListFilter,)
    list_select_related = ("site",)
    search_fields = ("name",)


@admin.register(Device)
class DeviceAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    """Read-only here: devices are removed through the resident's page (audited, router converged)."""

    site_lookups = resident_lookups("user__")
    list_display = ("mac", "label", "user", "last_ip", "is_authorized", "first_seen", "last_seen")
    list_filter = (SiteListFilter, "is_authorized")
    search_fields = ("mac", "label", "last_ip", "user__phone", "user__full_name")
    list_select_related = ("user",)
    date_hierarchy = "last_seen"


class ActorFilter(admin.SimpleListFilter):
    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(role__in=User.STAFF_ROLES).order_by("full_name")
        if staff_site_ids(request.user) is not None:  # only those who acted on this staff member's sites
            staff = staff.filter(pk__in=model_admin.get_queryset(request).values("actor"))
        return [("system", _("System")), *[(str(u.pk), str(u)) for u in staff]]

    def queryset(self, request, queryset):
        if self.value() == "system":
            return queryset.filter(actor__isnull=True)
        if self.value():
            return queryset.filter(actor_id=self.value())
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = model_admin.get_queryset(request).order_by("action").values_list("action", flat=True)
        actions = actions.distinct()
        return [(a, action_label(a)) for a in actions]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class _Echo:
    def write(self, value):
        return value


@admin.register(AuditEntry)
class AuditEntryAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    """Read-only: nobody edits history. Filters by site, actor, action and date; search by target; CSV
    export. Staff limited to sites see the entries about their residents only."""

    site_lookups = resident_lookups("target_user__")

    list_display = (
        "created_at",
        "actor",
        "action_shown",
        "target_user",
        "object_type",
        "object_id",
        "reason",
    )
    list_filter = (SiteListFilter, ActorFilter, ActionFilter, "created_at")
    search_fields = ("target_user__phone", "target_user__full_name", "action", "reason", "object_id")
    list_select_related = ("actor", "target_user")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = ["export_csv"]
    list_per_page = 100

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, entry):
        return action_label(entry.action)

    def get_actions(self, request):
        # The export is a read: allowed to anyone who may view the trail.
        actions = super().get_actions(request)
        if not self.has_view_permission(request):
            return {}
        return actions

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.csv_response(queryset)

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("format") == "csv":
            return self.csv_response(self._filtered_queryset(request))
        extra_context = {**(extra_context or {}), "csv_query": request.GET.urlencode()}
        return super().changelist_view(request, extra_context)

    def _filtered_queryset(self, request):
        params = request.GET.copy()
        params.pop("format", None)
        request.GET = params
        return self.get_changelist_instance(request).get_queryset(request)

    def csv_response(self, queryset):
        writer = csv.writer(_Echo())
        rows = (
            [
                timezone.localtime(e.created_at).isoformat(),
                e.actor.phone if e.actor else "system",
                e.action,
                e.target_user.phone if e.target_user else "",
                e.object_type,
                e.object_id,
                e.reason,
                _json(e.before),
                _json(e.after),
            ]
            for e in queryset.select_related("actor", "target_user").iterator(chunk_size=1000)
        )
        lines = (writer.writerow(row) for row in _with_header(rows))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.now():%Y%m%d-%H%M}.csv"'
        return response


def _json(value) -> str:
    """JSON, not Python's repr (single quotes, None, True), so a spreadsheet or script can read it."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _with_header(rows):
    yield list(CSV_COLUMNS)
    yield from rows
