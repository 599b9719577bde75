from django.core.management.base import BaseCommand

from quota.metering.cycles import usage_cycle


class Command(BaseCommand):
    help = "Run one usage cycle: read every router's queue counters into the ledger, then follow statuses."

    def handle(self, *args, **options):
        report = usage_cycle()
        self.stdout.write(report.summary())
        for item in report.rejected:
            self.stderr.write(f"rejected impossible delta: {item}")
