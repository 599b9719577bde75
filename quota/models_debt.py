"""Debt and invoices. Imported by quota.models (Django finds the models there); references by string only,
so this module imports nothing of quota.models.

Debt is derived from the ledger: a grant on credit is a `debt` ledger entry (the bytes are credited at once)
plus a `DebtItem` saying what it costs and when it is due; a purchase pays an item back with `debt_pay`
entries that name it (`reference = "debt:<id>"`), so an item's open bytes are its bytes minus those
entries. Cash, online settlement and forgiving close an item (who, how, why, when). Auto debt is usage
beyond what was credited: a negative remaining balance, read from the ledger sums.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DebtItem(models.Model):
    class Closed(models.TextChoices):
        PURCHASE = "purchase", _("Paid by a purchase")
        CASH = "cash", _("Paid in cash")
        ONLINE = "online", _("Paid online")
        FORGIVEN = "forgiven", _("Forgiven")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debt_items", verbose_name=_("user")
    )
    entry = models.OneToOneField(
        "quota.QuotaEntry", on_delete=models.PROTECT, related_name="debt_item", verbose_name=_("ledger entry")
    )
    amount_bytes = models.BigIntegerField(_("amount (bytes)"))
    price_rp = models.BigIntegerField(_("price (Rp)"))
    due_date = models.DateField(_("due date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted at"), default=timezone.now)
    closed_how = models.CharField(_("closed"), max_length=10, choices=Closed.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.CharField(_("reason"), max_length=255, blank=True)
    close_reference = models.CharField(_("reference"), max_length=120, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("debt item")
        verbose_name_plural = _("debt items")
        indexes = [models.Index(fields=["user", "closed_at"])]
        constraints = [
            models.CheckConstraint(
                name="debt_item_positive", condition=Q(amount_bytes__gt=0, price_rp__gt=0)
            ),
            models.CheckConstraint(
                name="debt_item_closed_consistent",
                condition=Q(closed_how="", closed_at__isnull=True)
                | ~Q(closed_how="") & Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.note or self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class InvoiceCounter(models.Model):
    """The last invoice number given per site and year: locked while the next one is taken, so numbers are
    gapless (a rolled-back payment rolls its number back too)."""

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="invoice_counter_site_year")]

    def __str__(self):
        return f"{self.site_id}/{self.year}: {self.last_number}"


class Invoice(models.Model):
    """What a resident paid, as printed: a snapshot written with the payment, never edited."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Package purchase")
        SETTLEMENT = "settlement", _("Debt settlement")

    number = models.CharField(_("invoice number"), max_length=40, unique=True)
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=120, unique=True)
    description = models.CharField(_("description"), max_length=255)
    quota_bytes = models.BigIntegerField(_("quota (bytes)"), default=0)
    amount_rp = models.BigIntegerField(_("amount (Rp)"))
    method = models.CharField(_("payment method"), max_length=40)
    resident_name = models.CharField(_("resident"), max_length=150)
    resident_phone = models.CharField(_("phone"), max_length=20)
    location = models.CharField(_("block / room"), max_length=80, blank=True)
    paid_at = models.DateTimeField(_("paid at"))

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["site", "year", "sequence"], name="invoice_sequence_unique"),
            models.CheckConstraint(name="invoice_amount_positive", condition=Q(amount_rp__gt=0)),
        ]

    def __str__(self):
        return self.number
