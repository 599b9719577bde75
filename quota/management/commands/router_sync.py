from django.core.management.base import BaseCommand, CommandError

from quota.router_state import full_reconcile
from routers.selectors import routers_selected


class Command(BaseCommand):
    help = (
        "Converge every enabled router (or --site CODE / --router NAME) to the database once; "
        "--dry-run prints "
        "the plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", help="only the routers of this site (code or name)")
        parser.add_argument("--router", help="name of one router (default: every enabled router)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    def handle(self, *args, site=None, router=None, dry_run=False, **options):
        try:
            targets = routers_selected(site=site, router=router)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
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
