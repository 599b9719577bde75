from django.conf import settings
from django.core.management.base import BaseCommand

from quota.metering.cycles import guard_cycle, guard_loop


class Command(BaseCommand):
    help = (
        "Run the quota guard's fast cycle every QUOTA_FAST_INTERVAL_S seconds (a long-running process; "
        "django-q2 schedules cannot run more often than once a minute). --once runs one cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one fast cycle and exit")

    def handle(self, *args, once=False, **options):
        if once:
            self.stdout.write(guard_cycle().summary())
            return
        interval = settings.QUOTA_FAST_INTERVAL_S
        self.stdout.write(f"quota guard: fast cycle every {interval} s")
        guard_loop(interval_s=interval, log=self.stdout.write)
