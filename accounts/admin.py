"""Admin for the account-level models: sites, locations, devices and the read-only audit trail. Every
admin is held to the staff member's sites (accounts.scope).

The user admin lives in lpsaring/admin (it shows quota, billing and router data, which accounts may not
import).
"""

import csv
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.db.models import Count
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import admin_outbox  # noqa: F401 - registers the WhatsApp outbox page
from accounts.audit_labels import action_label, object_type_label, reason_label
from accounts.models import AuditEntry, Block, Device, Room, TampingType, User
from accounts.permissions import StaffAction, staff_may
from accounts.scope import SiteListFilter, SiteScopedAdminMixin, resident_lookups, staff_site_ids
from accounts.services import block_move, block_move_check
from core.admin.names import NameFieldsMixin
from core.admin.readonly import ReadOnlyAdmin
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


class RoomInline(NameFieldsMixin, admin.TabularInline):
    model = Room
    name_fields = {"name": False}
    extra = 0


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = ("site", "name")

    def clean_site(self):
        site = self.cleaned_data["site"]
        if self.instance.pk is not None and self.instance.site_id != site.pk:
            block_move_check(block=self.instance, site=site)
        return site


@admin.register(Block)
class BlockAdmin(SiteScopedAdminMixin, NameFieldsMixin, admin.ModelAdmin):
    form = BlockForm
    site_lookups = ("site",)
    list_display = ("name", "site", "room_count")
    name_fields = {"name": False}
    list_filter = (SiteListFilter,)
    list_select_related = ("site",)
    search_fields = ("name",)
    inlines = [RoomInline]

    def save_model(self, request, obj, form, change):
        """A block that changes site moves through block_move: audited, and its residents' router entries
        follow at once."""
        new_site = obj.site
        if change and "site" in form.changed_data:
            obj.site_id = form.initial["site"]
        super().save_model(request, obj, form, change)
        if obj.site_id != new_site.pk:
            block_move(block=obj, site=new_site, actor=request.user)
            obj.refresh_from_db()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rooms_total=Count("rooms"))

    @admin.display(description=_("rooms"), ordering="rooms_total")
    def room_count(self, obj):
        return obj.rooms_total


class RoomForm(forms.ModelForm):
    """A room keeps its block while residents live in it: their own block (and so their site and routers)
    would no longer match their room. The database refuses it too (user_room_in_block_fk)."""

    class Meta:
        model = Room
        fields = ["block", "name"]

    def clean_block(self):
        block = self.cleaned_data["block"]
        room = self.instance
        if room.pk and block != room.block and User.objects.filter(room=room).exists():
            raise forms.ValidationError(
                _(
                    "Residents live in this room, so it stays in its block. Transfer them to another room "
                    "first, or move the whole block to another site from the block's page."
                ),
                code="room_has_residents",
            )
        return block


@admin.register(Room)
class RoomAdmin(SiteScopedAdminMixin, NameFieldsMixin, admin.ModelAdmin):
    form = RoomForm
    site_lookups = ("block__site",)
    list_display = ("name", "block", "site")
    name_fields = {"name": False}
    list_filter = (SiteListFilter, ("block", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "block__name")
    list_select_related = ("block__site",)

    @admin.display(description=_("site"), ordering="block__site__name")
    def site(self, room):
        return room.block.site


@admin.register(TampingType)
class TampingTypeAdmin(SiteScopedAdminMixin, NameFieldsMixin, admin.ModelAdmin):
    site_lookups = ("site",)
    list_display = ("name", "site")
    name_fields = {"name": True}
    list_filter = (SiteListFilter,)
    list_select_related = ("site",)
    search_fields = ("name",)


@admin.register(Device)
class DeviceAdmin(SiteScopedAdminMixin, ReadOnlyAdmin):
    """Read-only here: devices are removed through the resident's page (audited, router converged)."""

    site_lookups = resident_lookups("user__")
    # What fits a 1366 px laptop beside the filters; the IP and first sighting are on the change page.
    list_display = ("mac", "label", "user", "is_authorized", "last_seen")
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
            if not self.value().isascii() or not self.value().isdigit():
                raise IncorrectLookupParameters(f"actor {self.value()!r}")  # dropped, as the admin does
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
        "reason_short",
    )  # what fits 1366 px beside the filters; the object's type and id, before and after: the change page
    list_filter = (SiteListFilter, ActorFilter, ActionFilter, "created_at")
    search_fields = ("target_user__phone", "target_user__full_name", "action", "reason", "object_id")
    list_select_related = ("actor", "target_user")
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "created_at",
        "actor",
        "action_shown",
        "target_user",
        "object_type_shown",
        "object_id",
        "reason_shown",
        "before",
        "after",
    ]
    actions = ["export_csv"]
    list_per_page = 100

    @admin.display(description=_("action"), ordering="action")
    def action_shown(self, entry):
        return action_label(entry.action)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_shown(self, entry):
        return object_type_label(entry.object_type)

    @admin.display(description=_("reason"))
    def reason_shown(self, entry):
        return reason_label(entry.reason)

    @admin.display(description=_("reason"))
    def reason_short(self, entry):
        text = reason_label(entry.reason)
        return text if len(text) <= 48 else text[:47] + "…"

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
            try:
                queryset = self._filtered_queryset(request)
            except IncorrectLookupParameters:
                # As the changelist does: drop the filters (to ?e=1) rather than fail.
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            return self.csv_response(queryset)
        if ERROR_FLAG in request.GET:
            self.message_user(
                request,
                _("A filter in the address could not be applied, so it was dropped: all entries are shown."),
                messages.WARNING,
            )
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
