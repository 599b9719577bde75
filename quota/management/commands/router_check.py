from django.core.management.base import BaseCommand, CommandError

from quota.management.router_options import router_options_add, routers_named_by
from quota.router_state import router_check_against_db


class Command(BaseCommand):
    help = (
        "For each enabled router (or --site CODE / --router NAME): connectivity, identity, RouterOS version "
        "and drift (differences to apply)."
    )

    def add_arguments(self, parser):
        router_options_add(parser)

    def handle(self, *args, site=None, router=None, **options):
        routers = routers_named_by(site=site, router=router)
        if not routers:
            self.stdout.write("no enabled router (add one in the admin or set MIKROTIK_HOST)")
        failed = False
        for router in routers:
            check = router_check_against_db(router)
            if check.ok:
                self.stdout.write(
                    f"{router.name} {router.host}:{router.port}: OK identity={check.identity} "
                    f"version={check.version} uptime={check.uptime} drift={check.drift}"
                )
            else:
                failed = True
                self.stdout.write(f"{router.name} {router.host}:{router.port}: FAILED {check.error}")
        if failed:
            raise CommandError("some routers are not reachable")
