from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Package(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    price = models.PositiveIntegerField(_("price (Rp)"))
    quota_bytes = models.BigIntegerField(_("quota (bytes)"), help_text=_("0 = unlimited"))
    validity_days = models.PositiveIntegerField(_("validity (days)"), default=30)
    rate_tier = models.CharField(_("rate tier"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["price", "name"]
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        constraints = [
            models.CheckConstraint(name="package_quota_not_negative", condition=Q(quota_bytes__gte=0)),
            models.CheckConstraint(name="package_price_positive", condition=Q(price__gt=0)),
            models.CheckConstraint(name="package_days_positive", condition=Q(validity_days__gt=0)),
        ]

    def __str__(self):
        return self.name

    @property
    def is_unlimited(self) -> bool:
        return self.quota_bytes == 0


class Transaction(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        PAID = "PAID", _("Paid")
        FAILED = "FAILED", _("Failed")
        EXPIRED = "EXPIRED", _("Expired")
        CANCELLED = "CANCELLED", _("Cancelled")
        REFUNDED = "REFUNDED", _("Refunded")

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Package purchase")
        DEBT = "debt", _("Debt settlement")

    order_id = models.CharField(_("order id"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PACKAGE)
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("package")
    )
    # A debt order: what it pays, fixed when the order was made ({"items": [ids], "auto_bytes": n}).
    debt_plan = models.JSONField(_("debt paid"), default=dict, blank=True)
    amount = models.PositiveIntegerField(_("amount (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    snap_token = models.CharField(_("Snap token"), max_length=80, blank=True)
    redirect_url = models.URLField(_("payment page"), max_length=300, blank=True)
    payment_type = models.CharField(_("payment method"), max_length=40, blank=True)
    midtrans_transaction_id = models.CharField(_("Midtrans transaction id"), max_length=64, blank=True)
    midtrans_status = models.CharField(_("Midtrans status"), max_length=30, blank=True)
    fraud_status = models.CharField(_("fraud status"), max_length=20, blank=True)
    needs_review = models.BooleanField(_("needs staff review"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(name="transaction_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="transaction_status_valid",
                condition=Q(status__in=["PENDING", "PAID", "FAILED", "EXPIRED", "CANCELLED", "REFUNDED"]),
            ),
            models.CheckConstraint(
                name="transaction_package_by_kind",
                condition=Q(kind="package", package__isnull=False) | Q(kind="debt", package__isnull=True),
            ),
        ]

    def __str__(self):
        return self.order_id


class TransactionEvent(models.Model):
    """What happened to a payment and who told us: Snap, Midtrans' notification, the status page, the
    reconcile task or staff. `status` is the word Midtrans sent (or ours for local events)."""

    SOURCE_LABELS = {
        "snap": _("Snap (payment page)"),
        "notification": _("Midtrans notification"),
        "status_page": _("resident's status page"),
        "reconcile": _("reconcile task"),
        "admin": _("staff"),
    }
    KIND_LABELS = {
        "created": _("order created"),
        "status": _("status received"),
        "amount_mismatch": _("amount does not match"),
        "unchanged": _("nothing changed"),
        "status_unavailable": _("Midtrans could not be reached"),
        "unknown_at_midtrans": _("unknown to Midtrans"),
        "expired_locally": _("expired here"),
        "quota_taken_back": _("quota taken back"),
    }

    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="events", verbose_name=_("transaction")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    source = models.CharField(_("source"), max_length=20)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(_("status"), max_length=30, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("transaction event")
        verbose_name_plural = _("transaction events")

    def __str__(self):
        return f"{self.kind_label} · {self.source_label}"

    @property
    def source_label(self) -> str:
        return str(self.SOURCE_LABELS.get(self.source, self.source))

    @property
    def kind_label(self) -> str:
        return str(self.KIND_LABELS.get(self.kind, self.kind))
