from django.core.management.base import BaseCommand

from quota.debt_cycle import debt_blocks_rebuild
from quota.services import balances_rebuild


class Command(BaseCommand):
    help = "Compare every cached balance with the ledger and report differences; --fix rewrites them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true")

    def handle(self, *args, **options):
        differences = balances_rebuild(fix=options["fix"])
        for row in differences:
            self.stdout.write(
                f"user {row['user_id']}: balance purchased/used {row['cached'][0]}/{row['cached'][1]}, "
                f"ledger {row['ledger'][0]}/{row['ledger'][1]}" + (" (fixed)" if options["fix"] else "")
            )
        blocks = debt_blocks_rebuild(fix=options["fix"])
        for row in blocks:
            self.stdout.write(
                f"user {row['user_id']}: debt block {row['cached'] or '-'}, derived {row['derived'] or '-'}"
                + (" (fixed)" if options["fix"] else "")
            )
        differences += blocks
        self.stdout.write(f"{len(differences)} difference(s)")
        if differences and not options["fix"]:
            raise SystemExit(1)
