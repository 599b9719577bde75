from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotaConfig(AppConfig):
    name = "quota"
    verbose_name = _("Quota")

    def ready(self):
        # Django app loading: receivers import django_q's models, which exist only once apps are ready.
        from quota.receivers import connect_receivers

        connect_receivers()
