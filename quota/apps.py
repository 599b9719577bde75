from django.apps import AppConfig


class QuotaConfig(AppConfig):
    name = "quota"

    def ready(self):
        from quota.receivers import connect_receivers

        connect_receivers()
