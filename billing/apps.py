from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        # Django app loading: the guard queries billing's models, which exist only once apps are ready.
        from billing.lifecycle import pending_payment_refusal  # app loading: models ready only now
        from quota.lifecycle import RELEASE_GUARDS  # app loading: imports quota's models

        if pending_payment_refusal not in RELEASE_GUARDS:
            RELEASE_GUARDS.append(pending_payment_refusal)
