"""The WhatsApp outbox in the admin, read-only: what waits, what went out, what failed and why. Messages
carry no site, so only staff with the model's view permission (SUPER_ADMIN) see it; a login code's text is
never shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin.readonly import ReadOnlyAdmin
from core.models import WhatsAppMessage
from core.units import local_time_text


@admin.register(WhatsAppMessage)
class WhatsAppMessageAdmin(ReadOnlyAdmin):
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
