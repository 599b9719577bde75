from django.core.management.base import BaseCommand, CommandError

from quota.adoption import router_adopt
from quota.management.router_options import router_options_add, routers_named_by
from quota.router_state import full_reconcile


class Command(BaseCommand):
    help = (
        "Converge every enabled router (or --site CODE / --router NAME) to the database once; "
        "--dry-run prints "
        "the plan. --adopt-lpsaring takes the routers over from the Flask lpsaring deployment first."
    )

    def add_arguments(self, parser):
        router_options_add(parser)
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
        parser.add_argument(
            "--adopt-lpsaring",
            action="store_true",
            help="take over the Flask lpsaring deployment's entries (re-label, converge, remove its "
            "leftovers); entries of anyone else are listed and left alone",
        )

    def handle(self, *args, site=None, router=None, dry_run=False, adopt_lpsaring=False, **options):
        targets = routers_named_by(site=site, router=router)
        if adopt_lpsaring:
            self._adopt(targets, dry_run)
            if dry_run:
                return
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

    def _adopt(self, targets, dry_run: bool) -> None:
        failed = False
        for target in targets:
            result = router_adopt(target, dry_run=dry_run)
            if dry_run:
                for title, plan in (
                    ("re-label", result.relabels),
                    ("converge", result.converge),
                    ("remove", result.removals),
                ):
                    self.stdout.write(f"{target.name}: {title}: {len(plan)} command(s)")
                    for op in plan:
                        self.stdout.write(f"  {op.describe()}")
            for line in result.unknown:
                self.stdout.write(f"  left alone (not lpsaring's): {line}")
            for line in result.bypass_lost:
                self.stdout.write(f"  loses its Flask bypass (no authorized device here): {line}")
            self.stdout.write(result.summary())
            failed = failed or not result.ok
        if failed:
            raise CommandError("some routers could not be taken over (see above); run it again")
