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
    pending_changes = models.PositiveIntegerField(_("pending differences"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("router")
        verbose_name_plural = _("routers")

    def __str__(self):
        return self.name
