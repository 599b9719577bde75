import contextlib
import ipaddress
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _lines(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(",", "\n").splitlines() if part.strip()]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s (e.g. Asia/Makassar)."), params={"zone": value})


def validate_cidrs(value: str) -> None:
    for part in _lines(value):
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise ValidationError(
                _("%(value)s is not a subnet (write e.g. 172.16.2.0/23, one per line)."),
                params={"value": part},
            ) from None


DEFAULT_SITE_CODE = "UTAMA"  # "main": the default site's code in invoice numbers until staff change it


class SiteManager(models.Manager):
    def default(self) -> "Site":
        """The default site, created from the settings (SITE_NAME, TIME_ZONE, HOTSPOT_CLIENT_CIDRS,
        HOTSPOT_LOGIN_HOSTS) the first time it is needed, so a single-site install needs no admin step."""
        site = self.filter(is_default=True).first()
        if site is not None:
            return site
        with contextlib.suppress(IntegrityError):  # a concurrent request created it first
            self.create(
                name=settings.SITE_NAME,
                code=DEFAULT_SITE_CODE,
                time_zone=settings.TIME_ZONE,
                client_cidrs="\n".join(settings.HOTSPOT_CLIENT_CIDRS),
                login_hosts="\n".join(settings.HOTSPOT_LOGIN_HOSTS),
                is_default=True,
            )
        return self.get(is_default=True)


class Site(models.Model):
    """An institution or a facility inside one. Blocks, tamping types and routers belong to a site; a
    resident's router entries go to the routers of their site only."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", _("Use capital letters, digits and dashes."))],
        help_text=_("Short code for invoice numbers, e.g. LPS-A."),
    )
    time_zone = models.CharField(_("time zone"), max_length=60, validators=[validate_time_zone])
    client_cidrs = models.TextField(
        _("hotspot client subnets"), validators=[validate_cidrs], help_text=_("One subnet per line.")
    )
    login_hosts = models.TextField(
        _("hotspot login hosts"),
        blank=True,
        help_text=_("Host names of the hotspot login page, one per line."),
    )
    is_default = models.BooleanField(_("default site"), default=False)

    objects = SiteManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_site"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def client_networks(self) -> list:
        return [ipaddress.ip_network(part, strict=False) for part in _lines(self.client_cidrs)]

    @property
    def login_host_names(self) -> set[str]:
        return {host.lower() for host in _lines(self.login_hosts)}

    def serves_ip(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in self.client_networks)


def default_site_id() -> int:
    """The default for a block's, a tamping type's or a router's site: a single-site install never names
    one (the default site is created from the settings on first use)."""
    return Site.objects.default().pk
