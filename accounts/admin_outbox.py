"""The WhatsApp outbox (core.WhatsAppMessage) in the admin: what waits, what went out, what failed and why,
and "Send again" for a failed message. Messages carry no site, so only staff with the model's permissions
(SUPER_ADMIN) see it; a login code's text is never shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.outbox import whatsapp_message_retry, whatsapp_message_retry_refusal
from core.admin.confirm import ConfirmedAction, ConfirmedActionsMixin
from core.admin.readonly import ReadOnlyAdmin
from core.models import WhatsAppMessage
from core.units import local_time_text


class SendAgain(ConfirmedAction):
    name, label = "send_again", gettext_lazy("Send again")

    def refusal(self, request, obj):
        return whatsapp_message_retry_refusal(obj)

    def preview(self, obj, data):
        return [(obj.phone, obj.get_status_display(), WhatsAppMessage.Status.PENDING.label)]

    def apply(self, request, obj, data):
        whatsapp_message_retry(message_id=obj.pk, actor=request.user)


@admin.register(WhatsAppMessage)
class WhatsAppMessageAdmin(ConfirmedActionsMixin, ReadOnlyAdmin):
    confirmed_actions = [SendAgain()]
    actions = []  # ReadOnlyAdmin turns actions off; the confirmed one comes back through get_actions
    list_display = ("created_at", "phone", "status", "attempts", "next_attempt", "error_short")
    list_filter = ("status",)
    search_fields = ("phone",)
    fields = readonly_fields = (
        "created_at",
        "phone",
        "status",
        "text_shown",
        "attempts",
        "last_attempt_at",
        "last_error",
        "next_attempt",
        "sent_at",
    )

    @admin.display(description=_("message"))
    def text_shown(self, message):
        if message.discard_after is not None:
            return _("(a login code: not shown)")
        return message.text or "-"

    @admin.display(description=_("next attempt"), ordering="next_attempt_at")
    def next_attempt(self, message):
        waiting = message.status == WhatsAppMessage.Status.PENDING
        return local_time_text(message.next_attempt_at) if waiting else "-"

    @admin.display(description=_("last error"))
    def error_short(self, message):
        text = message.last_error
        return text if len(text) <= 40 else text[:39] + "…"

    def has_change_permission(self, request, obj=None):  # "Send again"; every field stays read-only
        return request.user.has_perm("core.change_whatsappmessage")
