from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit_labels import action_label
from accounts.managers import UserManager
from core.units import local_time_text
from sites.models import Site, default_site_id

MAC_PATTERN = r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$"


class Block(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, default=default_site_id, related_name="blocks", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="block_name_unique_in_site")]

    def __str__(self):
        return _("Block %(name)s") % {"name": self.name}


class Room(models.Model):
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("block"))
    name = models.CharField(_("name"), max_length=40)

    class Meta:
        ordering = ["block__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["block", "name"], name="room_name_unique_in_block"),
            # Target of the composite foreign key (room, block) on users.
            models.UniqueConstraint(fields=["id", "block"], name="room_id_block_unique"),
        ]

    def __str__(self):
        return f"{self.block.name}-{self.name}"


class TampingType(models.Model):
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        default=default_site_id,
        related_name="tamping_types",
        verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("tamping type")
        verbose_name_plural = _("tamping types")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="tamping_name_unique_in_site")]

    def __str__(self):
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        USER = "USER", _("Resident")
        KOMANDAN = "KOMANDAN", _("Komandan")
        ADMIN = "ADMIN", _("Admin")
        SUPER_ADMIN = "SUPER_ADMIN", _("Super admin")

    class Approval(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        APPROVED = "APPROVED", _("Approved")
        REJECTED = "REJECTED", _("Rejected")

    RESIDENT_ROLES = (Role.USER, Role.KOMANDAN)
    STAFF_ROLES = (Role.ADMIN, Role.SUPER_ADMIN)

    phone = models.CharField(_("phone number"), max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.USER)
    approval_status = models.CharField(
        _("approval status"), max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("block")
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("room")
    )
    tamping_type = models.ForeignKey(
        TampingType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tamping type")
    )

    staff_sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="staff",
        verbose_name=_("sites managed"),
        help_text=_(
            "An admin limited to these sites sees and changes only their residents; none: every site."
        ),
    )
    is_blocked = models.BooleanField(_("blocked"), default=False)
    blocked_reason = models.CharField(_("block reason"), max_length=255, blank=True)
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    blocked_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("blocked by"),
    )

    date_joined = models.DateTimeField(_("registered at"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_location_rule",
                condition=Q(role__in=["ADMIN", "SUPER_ADMIN"])
                | Q(tamping_type__isnull=False, block__isnull=True, room__isnull=True)
                | Q(tamping_type__isnull=True, block__isnull=False, room__isnull=False),
            ),
            models.CheckConstraint(
                name="user_role_valid", condition=Q(role__in=["USER", "KOMANDAN", "ADMIN", "SUPER_ADMIN"])
            ),
            models.CheckConstraint(
                name="user_approval_valid",
                condition=Q(approval_status__in=["PENDING", "APPROVED", "REJECTED"]),
            ),
            models.CheckConstraint(
                name="user_block_reason_when_blocked", condition=Q(is_blocked=False) | ~Q(blocked_reason="")
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.phone})"

    @property
    def is_staff(self) -> bool:
        """Only staff roles reach the Django admin; residents and Komandan never do."""
        return self.is_active and self.role in self.STAFF_ROLES

    @property
    def is_resident(self) -> bool:
        return self.role in self.RESIDENT_ROLES

    @property
    def is_tamping(self) -> bool:
        return self.tamping_type_id is not None

    @property
    def site_id(self) -> int | None:
        """The resident's site (through the room's block, or the tamping type); None for staff."""
        if self.tamping_type_id:
            return self.tamping_type.site_id
        if self.block_id:
            return self.block.site_id
        return None

    @property
    def location_label(self) -> str:
        if self.tamping_type_id:
            return str(self.tamping_type)
        if self.room_id:
            return str(self.room)
        return ""

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.phone


class Device(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices", verbose_name=_("user"))
    mac = models.CharField(_("MAC address"), max_length=17)
    last_ip = models.GenericIPAddressField(_("last IP"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=60, blank=True)
    is_authorized = models.BooleanField(_("authorized"), default=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering = ["user_id", "-last_seen"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["user", "mac"], name="device_unique_per_user"),
            models.UniqueConstraint(
                fields=["mac"], condition=Q(is_authorized=True), name="device_mac_unique_when_authorized"
            ),
            models.CheckConstraint(name="device_mac_format", condition=Q(mac__regex=MAC_PATTERN)),
        ]

    def __str__(self):
        return self.label or self.mac


class AuditEntry(models.Model):
    """Who changed what, before and after: written by every service in the same transaction."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("target user"),
    )
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        # accounts.audit imports this module: its labels can only be reached here, at call time.
        return f"{local_time_text(self.created_at)} {action_label(self.action)}"


class OtpCode(models.Model):
    """A WhatsApp login code, stored only as a keyed hash. Single use, short-lived, few tries."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="otp_codes", verbose_name=_("user"))
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    consumed_at = models.DateTimeField(_("consumed at"), null=True, blank=True)
    requested_ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        indexes = [models.Index(fields=["user", "-created_at"], name="otp_user_recent")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
