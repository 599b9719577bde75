from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """Sites: the institutions (or facilities inside one) that one deployment serves, each with its time
    zone, hotspot client subnets and login hosts. Below routers: a router belongs to a site."""

    name = "sites"
    verbose_name = _("Sites")
