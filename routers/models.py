from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sites.models import Site, default_site_id


class Router(models.Model):
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        default=default_site_id,
        related_name="routers",
        verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=60, unique=True)
    host = models.CharField(_("host"), max_length=255)
    port = models.PositiveIntegerField(
        _("API port"), default=8728, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    use_tls = models.BooleanField(_("TLS (api-ssl)"), default=False)
    username = models.CharField(_("API user"), max_length=60)
    password = models.CharField(_("API password"), max_length=128, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # When last_error happened: staff see how long a router has been failing (cleared with the error).
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    pending_changes = models.PositiveIntegerField(_("pending differences"), default=0)
    snapshot_at = models.DateTimeField(
        _("entries read at"),
        null=True,
        blank=True,
        help_text=_("When the last full converge read (and wrote) this router's managed entries."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("router")
        verbose_name_plural = _("routers")

    def __str__(self):
        return self.name


class RouterSnapshot(models.Model):
    """One user's managed entries on one router, as the last converge (or a refresh) left them: what staff
    pages show instead of asking the router while the page waits. A full converge rewrites the rows that
    changed and confirms the others through `Router.snapshot_at`; a targeted converge rewrites its users'.
    `user_id` is the id in the managed tag (routers knows nothing about residents)."""

    router = models.ForeignKey(
        Router, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("router")
    )
    user_id = models.PositiveBigIntegerField(_("user id"))
    taken_at = models.DateTimeField(_("read at"))
    rows = models.JSONField(_("entries"), default=dict, blank=True)  # {menu: [row without .id, ...]}

    class Meta:
        verbose_name = _("router snapshot")
        verbose_name_plural = _("router snapshots")
        constraints = [
            models.UniqueConstraint(fields=["router", "user_id"], name="router_snapshot_one_per_user")
        ]

    def __str__(self):
        return f"{self.router_id}:{self.user_id}"


class FreeRider(models.Model):
    """A host the router's hotspot table showed in a site's client subnets that is none of our devices and
    not exempt: what the last free-rider run saw, for staff (routers knows nothing about residents)."""

    router = models.ForeignKey(
        Router, on_delete=models.CASCADE, related_name="free_riders", verbose_name=_("router")
    )
    mac = models.CharField(_("MAC address"), max_length=17)
    address = models.GenericIPAddressField(_("IP address"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("A blocked ip-binding keeps this MAC off the hotspot.")
    )

    class Meta:
        ordering = ["-first_seen"]
        verbose_name = _("free rider")
        verbose_name_plural = _("free riders")
        constraints = [models.UniqueConstraint(fields=["router", "mac"], name="free_rider_one_per_mac")]

    def __str__(self):
        return f"{self.mac} ({self.address})"


class WalledGardenAddress(models.Model):
    """An address a payment or bank domain resolved to; kept while it keeps resolving, aged out after
    WALLED_GARDEN_KEEP_DAYS without being seen (a failed lookup keeps the last good ones)."""

    domain = models.CharField(_("domain"), max_length=253)
    address = models.GenericIPAddressField(_("IP address"), protocol="IPv4")
    first_resolved_at = models.DateTimeField(_("first resolved"))
    last_resolved_at = models.DateTimeField(_("last resolved"))

    class Meta:
        ordering = ["domain", "address"]
        verbose_name = _("walled garden address")
        verbose_name_plural = _("walled garden addresses")
        constraints = [
            models.UniqueConstraint(fields=["domain", "address"], name="walled_garden_one_per_address")
        ]

    def __str__(self):
        return f"{self.domain} {self.address}"
