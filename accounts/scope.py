"""Staff limited to sites: which sites a staff member works on, and the admin mixin that holds every admin
page to them.

An ADMIN with `staff_sites` sees and changes only what belongs to those sites: their residents (through
the room's block or the tamping type) and everything about them (devices, ledger, requests, transactions,
audit entries), their blocks, rooms, tamping types and routers. A SUPER_ADMIN, and an ADMIN with no site,
work on every site. Each admin names the paths from its model to a site (`site_lookups`); an object
reachable through none of them (a staff account, an audit entry about no resident) is hidden from
site-limited staff.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Block, Room, TampingType, User
from routers.models import Router
from sites.models import Site

RESIDENT_SITE_LOOKUPS = ("block__site", "tamping_type__site")


def resident_lookups(prefix: str = "") -> tuple[str, ...]:
    """The site of a resident reached through `prefix` (e.g. "user__" on devices)."""
    return tuple(prefix + lookup for lookup in RESIDENT_SITE_LOOKUPS)


# The site paths of the models staff pick in forms (a room, a block, a resident, a site, a router).
CHOICE_LOOKUPS = {
    User: RESIDENT_SITE_LOOKUPS,
    Block: ("site",),
    Room: ("block__site",),
    TampingType: ("site",),
    Router: ("site",),
    Site: ("pk",),
}


def staff_site_ids(user) -> frozenset[int] | None:
    """The sites `user` is limited to, or None for every site (a SUPER_ADMIN, or staff with no site).
    Someone who is not staff is limited to no site at all. Read once per request (cached on the user)."""
    cached = getattr(user, "_lps_staff_site_ids", False)
    if cached is not False:
        return cached
    if not getattr(user, "is_staff", False):
        ids = frozenset()
    elif user.role == User.Role.SUPER_ADMIN:
        ids = None
    else:
        ids = frozenset(user.staff_sites.values_list("pk", flat=True)) or None
    user._lps_staff_site_ids = ids
    return ids


def site_q(lookups, site_ids) -> Q:
    """Rows reachable from one of `site_ids` through one of `lookups` (no lookup: nothing)."""
    condition = Q(pk__in=[])
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": list(site_ids)})
    return condition


def scoped(queryset, lookups, site_ids):
    """`queryset` held to `site_ids` (None: unchanged). The lookups follow foreign keys forward, so a row
    is never repeated."""
    return queryset if site_ids is None else queryset.filter(site_q(lookups, site_ids))


def visible_sites(request):
    return scoped(Site.objects.order_by("name"), ("pk",), staff_site_ids(request.user))


def user_may_see_user(actor, target) -> bool:
    """`actor` may see `target` (a resident of one of their sites, or anyone for unlimited staff)."""
    site_ids = staff_site_ids(actor)
    return site_ids is None or (target.site_id is not None and target.site_id in site_ids)


class SiteListFilter(admin.SimpleListFilter):
    """Filter a changelist by site, through the admin's `site_lookups`; shown when staff see several
    sites."""

    title = gettext_lazy("site")
    parameter_name = "site"

    def __init__(self, request, params, model, model_admin):
        self.lookups_of_admin = model_admin.site_lookups
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        sites = list(visible_sites(request))
        return [(str(site.pk), site.name) for site in sites] if len(sites) > 1 else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return scoped(queryset, self.lookups_of_admin, [int(value)])


class SiteScopedAdminMixin:
    """Holds a ModelAdmin to the staff member's sites: the changelist, search, autocomplete, bulk actions
    and exports (all read `get_queryset`), the object pages (an object of another site is not found, and
    its permissions are refused), and the choices of its forms (a block, room, tamping type, resident,
    site or router of another site is not offered and is refused when sent)."""

    site_lookups: tuple[str, ...] = ()

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), self.site_lookups, staff_site_ids(request.user))

    def object_in_scope(self, request, obj) -> bool:
        site_ids = staff_site_ids(request.user)
        if obj is None or site_ids is None or obj.pk is None:
            return True
        model = type(obj)
        return scoped(model._default_manager.filter(pk=obj.pk), self.site_lookups, site_ids).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.object_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.object_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.object_in_scope(request, obj)

    def _limit_choices(self, db_field, request, kwargs):
        site_ids = staff_site_ids(request.user)
        lookups = CHOICE_LOOKUPS.get(db_field.related_model)
        if site_ids is None or lookups is None:
            return False
        base = kwargs.get("queryset")
        if base is None:
            base = db_field.related_model._default_manager.all()
        kwargs["queryset"] = scoped(base, lookups, site_ids)
        return True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = self._limit_choices(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if limited and field is not None:
            field.error_messages["invalid_choice"] = _("Choose one of your sites' entries.")
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limited = self._limit_choices(db_field, request, kwargs)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if limited and field is not None:
            field.error_messages["invalid_choice"] = _("Choose one of your sites' entries.")
        return field
