"""Admin for the account-level models: locations, devices and the read-only audit trail.

The user admin lives in lpsaring/admin (it shows quota, billing and router data, which accounts may not
import).
"""

import csv
import json

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.db.models import Count
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit_labels import action_label, object_type_label, reason_label
from accounts.models import AuditEntry, Block, Device, Room, TampingType, User
from core.admin.names import NameFieldsMixin
from core.admin.readonly import ReadOnlyAdmin

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


class RoomInline(NameFieldsMixin, admin.TabularInline):
    model = Room
    name_fields = {"name": False}
    extra = 0


@admin.register(Block)
class BlockAdmin(NameFieldsMixin, admin.ModelAdmin):
    list_display = ("name", "room_count")
    name_fields = {"name": False}
    search_fields = ("name",)
    inlines = [RoomInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rooms_total=Count("rooms"))

    @admin.display(description=_("rooms"), ordering="rooms_total")
    def room_count(self, obj):
        return obj.rooms_total


@admin.register(Room)
class RoomAdmin(NameFieldsMixin, admin.ModelAdmin):
    list_display = ("name", "block")
    name_fields = {"name": False}
    list_filter = ("block",)
    search_fields = ("name", "block__name")
    list_select_related = ("block",)


@admin.register(TampingType)
class TampingTypeAdmin(NameFieldsMixin, admin.ModelAdmin):
    list_display = ("name",)
    name_fields = {"name": True}
    search_fields = ("name",)


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    """Read-only here: devices are removed through the resident's page (audited, router converged)."""

    # What fits a 1366 px laptop beside the filters; the IP and first sighting are on the change page.
    list_display = ("mac", "label", "user", "is_authorized", "last_seen")
    list_filter = ("is_authorized",)
    search_fields = ("mac", "label", "last_ip", "user__phone", "user__full_name")
    list_select_related = ("user",)
    date_hierarchy = "last_seen"


class ActorFilter(admin.SimpleListFilter):
    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        staff = User.objects.filter(role__in=User.STAFF_ROLES).order_by("full_name")
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
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        return [(a, action_label(a)) for a in actions]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class _Echo:
    def write(self, value):
        return value


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: nobody edits history. Filters by actor, action and date; search by target; CSV export."""

    list_display = (
        "created_at",
        "actor",
        "action_shown",
        "target_user",
        "reason_short",
    )  # what fits 1366 px beside the filters; the object's type and id, before and after: the change page
    list_filter = (ActorFilter, ActionFilter, "created_at")
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
