from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutersConfig(AppConfig):
    name = "routers"
    verbose_name = _("Routers")
