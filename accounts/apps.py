from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Django app loading: the receiver imports accounts' models, which exist only once apps are ready.
        from accounts.alerts import staff_alert_cache_degraded
        from core.cache import cache_degraded  # Django app loading: the same reason as above

        cache_degraded.connect(staff_alert_cache_degraded, dispatch_uid="accounts.alert_cache_degraded")
