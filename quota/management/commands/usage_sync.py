from django.core.management.base import BaseCommand, CommandError

from quota.metering.cycles import usage_cycle
from routers.selectors import routers_selected


class Command(BaseCommand):
    help = (
        "Run one usage cycle: read the routers' queue counters into the ledger, then follow statuses "
        "(every router, or --site CODE / --router NAME, one cycle per router)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", help="only the routers of this site (code or name)")
        parser.add_argument("--router", help="only this router (name)")

    def handle(self, *args, site=None, router=None, **options):
        if not site and not router:
            reports = [usage_cycle()]
        else:
            try:
                routers = routers_selected(site=site, router=router)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            reports = [usage_cycle(router=target) for target in routers]
        for report in reports:
            self.stdout.write(report.summary())
            for item in report.rejected:
                self.stderr.write(f"rejected impossible delta: {item}")
