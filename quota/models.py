from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuotaEntry(models.Model):
    """Append-only ledger of signed byte amounts. Credits are positive; usage is negative.

    A user's purchased bytes are the sum of the non-usage entries, used bytes minus the sum of the usage
    entries, remaining bytes the sum of all.
    """

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        GRANT = "grant", _("Grant")
        INJECT = "inject", _("Inject")
        USAGE = "usage", _("Usage")
        ADJUST = "adjust", _("Adjustment")
        DEBT = "debt", _("Granted on credit")
        DEBT_PAY = "debt_pay", _("Debt paid from a purchase")
        SETTLE = "settle", _("Auto debt settled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quota_entries",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_bytes = models.BigIntegerField(_("amount (bytes)"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quota entry")
        verbose_name_plural = _("quota ledger")
        indexes = [models.Index(fields=["user", "kind"])]
        constraints = [
            models.CheckConstraint(
                name="quota_entry_kind_valid",
                condition=Q(
                    kind__in=["purchase", "grant", "inject", "usage", "adjust", "debt", "debt_pay", "settle"]
                ),
            ),
            models.CheckConstraint(
                name="quota_entry_sign_by_kind",
                condition=Q(kind__in=["usage", "debt_pay"], amount_bytes__lte=0)
                | Q(kind="adjust")
                | Q(kind__in=["purchase", "grant", "inject", "debt", "settle"], amount_bytes__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount_bytes:+d} B"


class QuotaBalance(models.Model):
    """Cache of the ledger per user, written in the same transaction as each entry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="balance",
        verbose_name=_("user"),
    )
    purchased_bytes = models.BigIntegerField(_("purchased (bytes)"), default=0)
    used_bytes = models.BigIntegerField(_("used (bytes)"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_unlimited = models.BooleanField(_("unlimited"), default=False)
    rate_tier = models.CharField(_("rate tier"), max_length=30, blank=True)
    # Set by the quota guard while remaining bytes could run out before the next normal cycle; the
    # router queue then runs at min(tier rate, guard rate). Null when the guard is not engaged.
    guard_rate_bps = models.BigIntegerField(_("guard rate (bit/s)"), null=True, blank=True)
    # Why the resident is blocked for debt ("" when not): derived by quota.debt_blocks from the debt and the
    # debt notices sent, rewritten after every payment and by the debt cycle (rebuildable, never typed in).
    debt_block = models.CharField(_("debt block"), max_length=12, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quota balance")
        verbose_name_plural = _("quota balances")
        constraints = [
            models.CheckConstraint(name="balance_used_not_negative", condition=Q(used_bytes__gte=0)),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.remaining_bytes} B"

    @property
    def remaining_bytes(self) -> int:
        return self.purchased_bytes - self.used_bytes


class DailyUsage(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_usage", verbose_name=_("user")
    )
    date = models.DateField(_("date"))
    bytes = models.BigIntegerField(_("bytes"), default=0)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="daily_usage_unique"),
            models.CheckConstraint(name="daily_usage_not_negative", condition=Q(bytes__gte=0)),
        ]

    def __str__(self):
        return f"{self.user_id} {self.date}: {self.bytes} B"


class QuotaRequest(models.Model):
    """A Komandan's request for quota or unlimited access, decided by staff."""

    class Kind(models.TextChoices):
        QUOTA = "QUOTA", _("Quota")
        UNLIMITED = "UNLIMITED", _("Unlimited")

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        APPROVED = "APPROVED", _("Approved")
        PARTIALLY_APPROVED = "PARTIALLY_APPROVED", _("Partially approved")
        REJECTED = "REJECTED", _("Rejected")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quota_requests",
        verbose_name=_("requester"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    requested_bytes = models.BigIntegerField(_("requested (bytes)"), default=0)
    requested_days = models.PositiveIntegerField(_("requested days"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    granted_bytes = models.BigIntegerField(_("granted (bytes)"), default=0)
    granted_days = models.PositiveIntegerField(_("granted days"), default=0)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("processed by"),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Komandan request")
        verbose_name_plural = _("Komandan requests")
        constraints = [
            models.CheckConstraint(
                name="quota_request_bytes_not_negative",
                condition=Q(requested_bytes__gte=0, granted_bytes__gte=0),
            ),
            models.UniqueConstraint(
                fields=["requester"], condition=Q(status="PENDING"), name="one_pending_request_per_komandan"
            ),
        ]

    def __str__(self):
        # Staff read this in the admin title, breadcrumbs and confirmation rows: name the Komandan.
        return f"{self.requester} · {self.get_kind_display()} ({self.get_status_display()})"


class CounterSample(models.Model):
    """The last byte counters read from one managed queue on one router: the baseline of the next delta.

    Keyed by the queue's name (stable), not its `.id`, so a re-created queue is recognised as such.
    """

    router = models.ForeignKey(
        "routers.Router", on_delete=models.CASCADE, related_name="+", verbose_name=_("router")
    )
    queue_name = models.CharField(_("queue name"), max_length=100)
    queue_id = models.CharField(_("queue .id"), max_length=20)
    bytes_up = models.BigIntegerField(_("bytes up"))
    bytes_down = models.BigIntegerField(_("bytes down"))
    uptime_s = models.BigIntegerField(_("router uptime (s)"))
    # now - uptime at the read: it moves only when the router reboots.
    boot_marker = models.DateTimeField(_("router boot marker"))
    sampled_at = models.DateTimeField(_("sampled at"))

    class Meta:
        verbose_name = _("counter sample")
        verbose_name_plural = _("counter samples")
        constraints = [
            models.UniqueConstraint(fields=["router", "queue_name"], name="counter_sample_unique_queue"),
        ]

    def __str__(self):
        return f"{self.router_id}/{self.queue_name}: {self.bytes_up}/{self.bytes_down}"


class StatusSeen(models.Model):
    """The access status the usage cycles last acted on, per user, so each transition is announced once,
    also across restarts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("user"),
    )
    status = models.CharField(_("status"), max_length=10)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status seen")
        verbose_name_plural = _("statuses seen")

    def __str__(self):
        return f"{self.user_id}: {self.status}"


class QuotaNotice(models.Model):
    """One WhatsApp notice sent to a resident; the key makes each notice go out once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quota_notices",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=120)
    text = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("quota notice")
        verbose_name_plural = _("quota notices")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="quota_notice_once")]

    def __str__(self):
        return f"{self.user_id} {self.key}"


class LifecycleMark(models.Model):
    """A step of the inactive-account job done for a user, once: warned, deactivated, anonymised. Cleared
    when the resident is active again (a login or a purchase after the mark)."""

    class Step(models.TextChoices):
        WARNED = "warned", _("Warned")
        DEACTIVATED = "deactivated", _("Deactivated")
        ANONYMISED = "anonymised", _("Anonymised")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("account lifecycle step")
        verbose_name_plural = _("account lifecycle steps")
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="lifecycle_step_once")]

    def __str__(self):
        return f"{self.user_id}: {self.step}"


class Promo(models.Model):
    """A registration bonus: residents approved between the two dates (inclusive, local) get it once."""

    name = models.CharField(_("name"), max_length=80)
    bonus_bytes = models.BigIntegerField(_("bonus (bytes)"))
    bonus_days = models.PositiveIntegerField(_("bonus days"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("registration bonus")
        verbose_name_plural = _("registration bonuses")
        constraints = [
            models.CheckConstraint(condition=Q(bonus_bytes__gt=0), name="promo_bonus_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="promo_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.bonus_bytes is not None and self.bonus_bytes <= 0:
            errors["bonus_bytes"] = _("The bonus must be more than zero.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date is before the start date.")
        if errors:
            raise ValidationError(errors)


class Announcement(models.Model):
    """A notice on the resident home page while it is active and within its dates."""

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=2000)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title


class Broadcast(models.Model):
    """A WhatsApp message to a group of residents, sent through the queue within Fonnte's limits."""

    class Audience(models.TextChoices):
        ALL = "all", _("Everyone")
        SITE = "site", _("A site")
        BLOCK = "block", _("A block")
        STATUS = "status", _("An access status")

    text = models.TextField(_("message"), max_length=1000)
    audience = models.CharField(_("recipients"), max_length=10, choices=Audience.choices)
    audience_value = models.CharField(_("which"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self):
        return self.text[:40]


class BroadcastRecipient(models.Model):
    """One message of a broadcast. `claimed_at` is set (and committed) before the send, so a restart never
    sends it again: a claim without a result is reported as unknown."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    phone = models.CharField(_("phone number"), max_length=20)
    claimed_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    ok = models.BooleanField(_("delivered to the gateway"), null=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("broadcast recipient")
        verbose_name_plural = _("broadcast recipients")
        constraints = [models.UniqueConstraint(fields=["broadcast", "phone"], name="broadcast_one_per_phone")]

    def __str__(self):
        return self.phone


# Debt items and invoices live in their own module (kept small); Django finds models imported here.
from quota.models_debt import DebtItem, Invoice, InvoiceCounter  # noqa: E402, F401
