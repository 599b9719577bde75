from django.core.management.base import BaseCommand, CommandError

from quota.hygiene.free_riders import free_riders_sync
from routers.selectors import routers_selected


class Command(BaseCommand):
    help = "Put the free riders of every enabled router (or --site / --router) in the unauthorized list now."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="only the routers of this site (code or name)")
        parser.add_argument("--router", help="name of one router")

    def handle(self, *args, site=None, router=None, **options):
        try:
            targets = routers_selected(site=site, router=router)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for target in targets:
            self.stdout.write(free_riders_sync(target).summary())
