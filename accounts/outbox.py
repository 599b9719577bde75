"""Staff actions on the WhatsApp outbox (core.whatsapp.outbox): sending a failed message again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from core.models import WhatsAppMessage
from core.whatsapp.outbox import message_requeue


def whatsapp_message_retry_refusal(message: WhatsAppMessage) -> str | None:
    """Why this message cannot be sent again (None when it can)."""
    if message.discard_after is not None:
        return _("A login code is never sent late: the resident asks for a new one.")
    if message.status != WhatsAppMessage.Status.FAILED:
        return _("Only a message that failed can be sent again.")
    return None


@transaction.atomic
def whatsapp_message_retry(*, message_id: int, actor: User) -> WhatsAppMessage:
    """Queue a failed message again (after a long gateway outage, say); audited."""
    message = WhatsAppMessage.objects.select_for_update().get(pk=message_id)
    refusal = whatsapp_message_retry_refusal(message)
    if refusal:
        raise ValidationError(refusal, code="not_retryable")
    before = {"status": message.status, "attempts": message.attempts, "last_error": message.last_error}
    message_requeue(message)
    audit_record(
        actor=actor, action="whatsapp.retry", obj=message, before=before, after={"status": message.status}
    )
    return message
