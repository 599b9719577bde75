"""Hotspot hygiene and the lifecycle in the admin: free riders (read-only, with block and register),
the walled-garden addresses (read-only), registration bonuses, announcements and broadcasts (a form, a
preview with the recipient count, then the queue; the change page is the delivery report)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Block, User
from accounts.scope import SiteListFilter, SiteScopedAdminMixin
from core.admin.confirm import ConfirmedAction, ConfirmedActionsMixin, ConfirmForm, OptionalReasonForm
from core.admin.readonly import ReadOnlyAdmin
from core.units import GIB, format_bytes
from quota.broadcast import broadcast_create, broadcast_recipients, broadcast_report
from quota.hygiene.services import free_rider_block, free_rider_register, register_candidates
from quota.models import Announcement, Broadcast, BroadcastRecipient, Promo
from quota.status import AccessStatus
from routers.models import FreeRider, WalledGardenAddress
from sites.models import Site


class BlockMac(ConfirmedAction):
    name, label, form_class = "block_mac", gettext_lazy("Block the MAC"), OptionalReasonForm

    def refusal(self, request, obj):
        return _("Already blocked.") if obj.blocked else None

    def preview(self, obj, data):
        return [(obj.mac, _("in the unauthorized list"), _("blocked binding on the next run"))]

    def apply(self, request, obj, data):
        free_rider_block(rider=obj, actor=request.user, reason=data["reason"])


class RegisterForm(ConfirmForm):
    """Offers the residents of the free rider's site only: a device is served by its owner's routers."""

    resident = forms.ModelChoiceField(label=gettext_lazy("Resident"), queryset=User.objects.none())

    def __init__(self, *args, site_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = register_candidates(site_id=site_id)


class RegisterMac(ConfirmedAction):
    name, label, form_class = "register_mac", gettext_lazy("Register to a resident"), RegisterForm
    bulk = False

    def form_kwargs(self, objs):
        return {"site_id": objs[0].router.site_id}

    def preview(self, obj, data):
        return [(obj.mac, _("free rider"), _("device of %(name)s") % {"name": data["resident"].full_name})]

    def apply(self, request, obj, data):
        free_rider_register(rider=obj, user=data["resident"], actor=request.user)


@admin.register(FreeRider)
class FreeRiderAdmin(SiteScopedAdminMixin, ConfirmedActionsMixin, ReadOnlyAdmin):
    """Vendor names are not shown: no well-kept library of MAC prefixes is among our dependencies."""

    site_lookups = ("router__site",)
    list_display = ["mac", "address", "router", "first_seen", "last_seen", "blocked"]
    list_filter = [SiteListFilter, "blocked"]
    search_fields = ["mac", "address"]
    confirmed_actions = [BlockMac(), RegisterMac()]
    actions = []  # ReadOnlyAdmin turns actions off; the confirmed ones come back through get_actions

    def has_change_permission(self, request, obj=None):  # block and register; nothing is edited
        return request.user.has_perm("routers.change_freerider") and self.object_in_scope(request, obj)


@admin.register(WalledGardenAddress)
class WalledGardenAddressAdmin(ReadOnlyAdmin):
    list_display = ["domain", "address", "first_resolved_at", "last_resolved_at"]
    search_fields = ["domain", "address"]


class PromoForm(forms.ModelForm):
    bonus_gb = forms.IntegerField(label=gettext_lazy("Bonus (GB)"), min_value=1, max_value=1000)

    class Meta:
        model = Promo
        fields = ["name", "bonus_gb", "bonus_days", "starts_on", "ends_on", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["bonus_gb"].initial = self.instance.bonus_bytes // GIB

    def clean(self):
        data = super().clean()
        if data.get("bonus_gb") is not None:
            self.instance.bonus_bytes = data["bonus_gb"] * GIB
        return data


@admin.register(Promo)
class PromoAdmin(admin.ModelAdmin):
    form = PromoForm
    list_display = ["name", "bonus", "bonus_days", "starts_on", "ends_on", "is_active"]
    search_fields = ["name"]

    @admin.display(description=gettext_lazy("Bonus"), ordering="bonus_bytes")
    def bonus(self, obj):
        return format_bytes(obj.bonus_bytes)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_active"]
    search_fields = ["title", "text"]

    def save_model(self, request, obj, form, change):
        if obj.ends_on < obj.starts_on:
            raise ValidationError(_("The end date is before the start date."))
        super().save_model(request, obj, form, change)


def audience_choices():
    choices = [("all", _("Everyone"))]
    choices += [(f"site:{s.pk}", _("Site: %s") % s.name) for s in Site.objects.order_by("name")]
    choices += [
        (f"block:{b.pk}", _("Block: %s") % f"{b.site.name} / {b.name}")
        for b in Block.objects.select_related("site").order_by("site__name", "name")
    ]
    choices += [(f"status:{s.value}", _("Status: %s") % s.label) for s in AccessStatus]
    return choices


class BroadcastForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea, max_length=1000)
    audience = forms.ChoiceField(label=gettext_lazy("Recipients"))
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audience_choices()

    def audience_parts(self) -> tuple[str, str]:
        kind, _sep, value = self.cleaned_data["audience"].partition(":")
        return kind, value


class RecipientInline(admin.TabularInline):
    model = BroadcastRecipient
    fields = ["phone", "claimed_at", "ok", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["created_at", "text", "audience", "created_by", "report", "finished_at"]
    readonly_fields = [
        "text",
        "audience",
        "audience_value",
        "created_by",
        "created_at",
        "finished_at",
        "report",
    ]
    fields = readonly_fields
    inlines = [RecipientInline]
    search_fields = ["text"]

    @admin.display(description=gettext_lazy("Delivery"))
    def report(self, obj):
        r = broadcast_report(obj)
        return _("%(delivered)d delivered, %(failed)d failed, %(unknown)d unknown, %(waiting)d waiting") % r

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):  # the delivery report stays
        return False

    def add_view(self, request, form_url="", extra_context=None):
        form = BroadcastForm(request.POST or None)
        count = None
        if request.method == "POST" and form.is_valid():
            kind, value = form.audience_parts()
            try:
                if request.POST.get("send") == "1":
                    broadcast = broadcast_create(
                        text=form.cleaned_data["text"], audience=kind, value=value, actor=request.user
                    )
                    self.message_user(
                        request,
                        _("Queued for %(n)d recipient(s).") % {"n": broadcast.recipients.count()},
                        messages.SUCCESS,
                    )
                    return redirect("admin:quota_broadcast_change", broadcast.pk)
                count = len(broadcast_recipients(audience=kind, value=value))
                if not form.cleaned_data["text"].strip():
                    form.add_error("text", _("The message is empty."))
                elif count == 0:
                    form.add_error("audience", _("Nobody would receive this message."))
            except ValidationError as exc:
                form.add_error(None, exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("New broadcast"),
            "form": form,
            "count": count,
            "preview_ready": count is not None and not form.errors,
        }
        return TemplateResponse(request, "admin/lps_broadcast_add.html", context)
