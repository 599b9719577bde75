from django.core.management.base import BaseCommand

from routers.walled_garden import walled_garden_sync


class Command(BaseCommand):
    help = "Resolve WALLED_GARDEN_DOMAINS now and converge the walled-garden list on every enabled router."

    def handle(self, *args, **options):
        for line in walled_garden_sync():
            self.stdout.write(line)
