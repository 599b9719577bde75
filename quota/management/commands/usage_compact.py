from django.core.management.base import BaseCommand

from quota.metering.compact import usage_compact


class Command(BaseCommand):
    help = "Fold usage entries older than USAGE_DETAIL_DAYS into one entry per resident and day (nightly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-days", type=int, default=14, help="days to fold in this run (oldest first)"
        )

    def handle(self, *args, **options):
        self.stdout.write(usage_compact(max_days=max(options["max_days"], 1)).summary())
