from django.core.management.base import BaseCommand

from quota.lifecycle import inactive_run


class Command(BaseCommand):
    help = "Run the inactive-account job once (INACTIVE_WARN_DAYS, _DEACTIVATE_DAYS, _DELETE_DAYS)."

    def handle(self, *args, **options):
        for step, count in inactive_run().items():
            self.stdout.write(f"{step}: {count}")
