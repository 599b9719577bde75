from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class LpsaringConfig(AppConfig):
    name = "lpsaring"

    def ready(self):
        # Both modules import models, which exist only once Django's app loading reaches ready().
        from lpsaring import checks  # noqa: F401 - registers the deployment checks (imports models)
        from lpsaring.groups import staff_groups_after_migrate  # imports auth's models

        # post_migrate is sent once per app with models, in INSTALLED_APPS order; by the time it is sent
        # for routers (the last of ours) every permission the groups need exists.
        post_migrate.connect(
            staff_groups_after_migrate,
            sender=apps.get_app_config("routers"),
            dispatch_uid="lpsaring.groups",
        )
