from django.core.management.base import BaseCommand, CommandError

from quota.management.router_options import router_options_add, routers_named_by
from quota.router_state import full_reconcile


class Command(BaseCommand):
    help = (
        "Converge every enabled router (or --site CODE / --router NAME) to the database once; "
        "--dry-run prints "
        "the plan."
    )

    def add_arguments(self, parser):
        router_options_add(parser)
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    def handle(self, *args, site=None, router=None, dry_run=False, **options):
        targets = routers_named_by(site=site, router=router)
        results = full_reconcile(routers=targets, dry_run=dry_run)
        if not results:
            self.stdout.write("no enabled router (add one in the admin or set MIKROTIK_HOST)")
        for result in results:
            if dry_run:
                for op in result.plan:
                    self.stdout.write(f"  {op.describe()}")
            self.stdout.write(result.summary())
        if any(not result.ok for result in results):
            raise CommandError("some routers could not be converged (see above)")
