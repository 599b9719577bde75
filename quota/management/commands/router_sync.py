from django.core.management.base import BaseCommand, CommandError

from quota.router_state import full_reconcile
from routers.selectors import router_named


class Command(BaseCommand):
    help = "Converge every enabled router (or --router NAME) to the database once; --dry-run prints the plan."

    def add_arguments(self, parser):
        parser.add_argument("--router", help="name of one router (default: every enabled router)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")

    def handle(self, *args, router=None, dry_run=False, **options):

        target = None
        if router:
            target = router_named(router)
            if target is None:
                raise CommandError(f"no router named {router!r}")
        results = full_reconcile(router=target, dry_run=dry_run)
        if not results:
            self.stdout.write("no enabled router (add one in the admin or set MIKROTIK_HOST)")
        for result in results:
            if dry_run:
                for op in result.plan:
                    self.stdout.write(f"  {op.describe()}")
            self.stdout.write(result.summary())
        if any(not result.ok for result in results):
            raise CommandError("some routers could not be converged (see above)")
