"""Two small tables that let the project keep working while a part is down (README, "When a part fails").

- CacheFallbackEntry: the cache (rate-limit counters, the OTP send budget, one-time link marks) while Redis
  cannot be reached; see core/cache.py.
- WhatsAppMessage: every message waits here until the gateway has taken it (core/whatsapp/outbox.py), so a
  gateway or queue outage delays a notice or a receipt but never loses it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheFallbackEntry(models.Model):
    key = models.CharField(max_length=250, primary_key=True)
    number = models.BigIntegerField(null=True)  # integers (counters), so incr is one UPDATE
    blob = models.BinaryField(null=True)  # anything else, pickled
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_cache_fallback"

    def __str__(self):
        return self.key


class WhatsAppMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    phone = models.CharField(_("phone"), max_length=20)
    text = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("queued at"))
    # A login code is worth nothing after it expires: it is dropped rather than sent late.
    discard_after = models.DateTimeField(_("dropped after"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_attempt_ok = models.BooleanField(_("last attempt went out"), null=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="core_wa_pending_due", condition=models.Q(status="pending")
            ),
            models.Index(fields=["-last_attempt_at"], name="core_wa_last_attempt"),
        ]

    def __str__(self):
        return f"{self.phone[-4:]} {self.status}"
