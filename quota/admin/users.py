"""Residents and staff in the admin: the registration queue, resident actions and the resident page."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit_labels import reason_label
from accounts.models import User
from accounts.permissions import StaffAction, staff_may
from accounts.scope import RESIDENT_SITE_LOOKUPS, SiteListFilter, SiteScopedAdminMixin
from accounts.services import (
    location_validate,
    staff_account_create,
    staff_sites_set,
    user_profile_update,
    user_register,
)
from core.admin.confirm import ConfirmedActionsMixin
from core.names import NameField
from core.phone import normalize_phone
from core.units import format_bytes
from quota.admin.debt_actions import DEBT_ACTIONS
from quota.admin.debt_list import debt_panel
from quota.admin.resident_actions import RESIDENT_ACTIONS
from quota.admin.router_entries import router_entries_for, router_entries_refresh
from quota.models import QuotaEntry
from quota.selectors import access_status_of, balance_of

RECENT_ROWS = 15


# What apps above quota add to the resident page (billing: the recent transactions), so quota never
# imports them: each callable takes the user and returns entries for the page's context.
RESIDENT_PAGE_SECTIONS: list[Callable[[User], dict]] = []


class UserChangeForm(forms.ModelForm):
    full_name = NameField(label=gettext_lazy("Full name"), max_length=120)

    class Meta:
        model = User
        fields = ("full_name", "role", "is_active", "room", "tamping_type", "staff_sites")

    def clean(self):
        data = super().clean()
        role = data.get("role", self.instance.role)
        location_validate(role=role, room=data.get("room"), tamping_type=data.get("tamping_type"))
        return data


class UserAddForm(forms.ModelForm):
    full_name = NameField(label=gettext_lazy("Full name"), max_length=120)
    phone_input = forms.CharField(label=gettext_lazy("Phone number"), max_length=20)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=gettext_lazy("Staff only: residents log in with a WhatsApp code."),
    )

    class Meta:
        model = User
        fields = ("full_name", "role", "room", "tamping_type")

    def clean_phone_input(self):
        phone = normalize_phone(self.cleaned_data["phone_input"])
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(_("This number is already registered."), code="phone_taken")
        return phone

    def clean(self):
        data = super().clean()
        location_validate(role=data.get("role"), room=data.get("room"), tamping_type=data.get("tamping_type"))
        if data.get("role") in User.STAFF_ROLES:
            if not data.get("password"):
                self.add_error("password", _("Staff accounts need a password."))
            else:
                try:
                    validate_password(data["password"])
                except ValidationError as exc:
                    self.add_error("password", exc)
        return data


class UserAdmin(SiteScopedAdminMixin, ConfirmedActionsMixin, admin.ModelAdmin):
    """Staff limited to sites (accounts.scope) see and change the residents of their sites only; staff
    accounts belong to no site, so only unlimited staff see them."""

    site_lookups = RESIDENT_SITE_LOOKUPS
    confirmed_actions = RESIDENT_ACTIONS + DEBT_ACTIONS
    change_form_template = "admin/accounts/user/lps_change_form.html"
    list_display = (
        "phone",
        "full_name",
        "role",
        "approval_status",
        "location",
        "access_status",
        "remaining",
        "expires",
        "date_joined",
    )
    list_filter = (
        SiteListFilter,
        "approval_status",
        "role",
        "is_blocked",
        "is_active",
        ("room__block", admin.RelatedOnlyFieldListFilter),
        ("tamping_type", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("phone", "full_name", "room__name", "room__block__name")
    list_select_related = ("balance", "room__block", "tamping_type")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    list_per_page = 50
    actions = None  # the confirmed actions only; deleting is a change-page decision

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("balance", "room__block", "tamping_type")

    # -- columns ----------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("location"))
    def location(self, obj):
        return obj.location_label or "-"

    @admin.display(description=gettext_lazy("access"))
    def access_status(self, obj):
        if obj.role in User.STAFF_ROLES:
            return "-"
        return access_status_of(obj).label

    @admin.display(description=gettext_lazy("remaining"))
    def remaining(self, obj):
        balance = balance_of(obj)
        if balance is None:
            return "-"
        return "∞" if balance.is_unlimited else format_bytes(balance.remaining_bytes)

    @admin.display(description=gettext_lazy("expires"), ordering="balance__expires_at")
    def expires(self, obj):
        balance = balance_of(obj)
        return balance.expires_at if balance and balance.expires_at else "-"

    # -- permissions ------------------------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return staff_may(actor_role=request.user.role, action=StaffAction.CHANGE, target_role=obj.role)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return staff_may(actor_role=request.user.role, action=StaffAction.DELETE, target_role=obj.role)

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = UserAddForm if obj is None else UserChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ("phone_input", "full_name", "role", "room", "tamping_type", "password")})
            ]
        return [
            (None, {"fields": ("phone", "full_name", "role", "is_active")}),
            (_("Location"), {"fields": ("room", "tamping_type")}),
            (
                _("Registration and block"),
                {
                    "fields": (
                        "approval_status",
                        "approved_at",
                        "rejection_reason",
                        "date_joined",
                        "last_login",
                    )
                },
            ),
            (_("Block"), {"fields": ("is_blocked", "blocked_reason", "blocked_at", "blocked_by")}),
            *([(_("Sites managed"), {"fields": ("staff_sites",)})] if obj.role in User.STAFF_ROLES else []),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        readonly = [
            "phone",
            "approval_status",
            "approved_at",
            "rejection_reason",
            "date_joined",
            "last_login",
            "is_blocked",
            "blocked_reason",
            "blocked_at",
            "blocked_by",
        ]
        if not staff_may(actor_role=request.user.role, action=StaffAction.SET_ROLE):
            readonly += ["role", "staff_sites"]  # a SUPER_ADMIN decides who works on which sites
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not staff_may(
            actor_role=request.user.role, action=StaffAction.SET_ROLE
        ):
            kwargs["choices"] = [(r.value, r.label) for r in User.Role if r in User.RESIDENT_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # -- saving goes through services -------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in UserChangeForm.Meta.fields}
            may_set_role = staff_may(actor_role=request.user.role, action=StaffAction.SET_ROLE)
            if "role" in changes and not may_set_role:
                changes.pop("role")
            sites = changes.pop("staff_sites", None)
            saved = user_profile_update(user=obj, actor=request.user, changes=changes)
            if sites is not None and may_set_role:
                staff_sites_set(user=saved, sites=sites, actor=request.user)
        elif data["role"] in User.STAFF_ROLES:
            saved = staff_account_create(
                phone=data["phone_input"],
                full_name=data["full_name"],
                role=data["role"],
                password=data["password"],
                actor=request.user,
            )
        else:
            saved = user_register(
                phone=data["phone_input"],
                full_name=data["full_name"],
                room=data.get("room"),
                tamping_type=data.get("tamping_type"),
                role=data["role"],
                actor=request.user,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # no inlines; groups and permissions follow the role

    # -- the resident page ------------------------------------------------------------------
    def get_urls(self):
        refresh = path(
            "<path:object_id>/routers/refresh/",
            self.admin_site.admin_view(self.router_refresh_view),
            name="accounts_user_router_refresh",
        )
        return [refresh, *super().get_urls()]

    def router_refresh_view(self, request, object_id):
        """ "Refresh from the router": ask the resident's routers live and keep what they answer."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj) or obj.role in User.STAFF_ROLES:
            raise PermissionDenied
        failed = router_entries_refresh(obj)
        if failed:
            self.message_user(
                request,
                _("Could not read %(routers)s; the page shows its last known state.")
                % {"routers": ", ".join(failed)},
                messages.WARNING,
            )
        else:
            self.message_user(request, _("Router entries read from the router just now."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context.update(self.resident_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def resident_context(self, request, obj) -> dict:
        context = {"lps_object_actions": self.object_actions_for(request, obj)}
        if obj.role in User.STAFF_ROLES:
            return context
        balance = balance_of(obj)
        context["lps_resident"] = {
            "status": access_status_of(obj, balance),
            "balance": balance,
            "purchased": format_bytes(balance.purchased_bytes) if balance else "-",
            "used": format_bytes(balance.used_bytes) if balance else "-",
            "remaining": ("∞" if balance.is_unlimited else format_bytes(balance.remaining_bytes))
            if balance
            else "-",
            "devices": list(obj.devices.order_by("-is_authorized", "-last_seen")),
            "ledger": [
                {"entry": e, "amount": format_bytes(e.amount_bytes), "reason": reason_label(e.reason)}
                for e in QuotaEntry.objects.filter(user=obj).select_related("actor")[:RECENT_ROWS]
            ],
            "debt": debt_panel(obj),
            "routers": router_entries_for(obj),
            "router_refresh_url": reverse("admin:accounts_user_router_refresh", args=[obj.pk]),
        }
        for section in RESIDENT_PAGE_SECTIONS:
            context["lps_resident"].update(section(obj))
        return context


admin.site.register(User, UserAdmin)
