from django.core.management.base import BaseCommand

from quota.management.router_options import router_options_add, routers_named_by
from quota.metering.cycles import usage_cycle


class Command(BaseCommand):
    help = (
        "Run one usage cycle: read the routers' queue counters into the ledger, then follow statuses "
        "(every router, or --site CODE / --router NAME, one cycle per router)."
    )

    def add_arguments(self, parser):
        router_options_add(parser)

    def handle(self, *args, site=None, router=None, **options):
        if not site and not router:
            reports = [usage_cycle()]
        else:
            routers = routers_named_by(site=site, router=router)
            reports = [usage_cycle(router=target) for target in routers]
        for report in reports:
            self.stdout.write(report.summary())
            for item in report.rejected:
                self.stderr.write(f"rejected impossible delta: {item}")
