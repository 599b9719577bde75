from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from lpsaring.schedules import declared_schedules


class Command(BaseCommand):
    help = "Create or update the django-q2 schedules declared in the apps' schedules.py; remove the rest."

    @transaction.atomic
    def handle(self, *args, **options):
        declared = declared_schedules()
        for item in declared:
            defaults = {"func": item["func"], "repeats": -1}
            if "cron" in item:
                defaults.update(schedule_type=Schedule.CRON, cron=item["cron"], minutes=None)
            else:
                defaults.update(schedule_type=Schedule.MINUTES, minutes=item["minutes"], cron=None)
            schedule, created = Schedule.objects.update_or_create(
                name=item["name"], defaults=defaults, create_defaults={**defaults, "next_run": timezone.now()}
            )
            schedule.full_clean()
            self.stdout.write(f"{'created' if created else 'updated'} {schedule.name}")
        removed, _ = Schedule.objects.exclude(name__in=[item["name"] for item in declared]).delete()
        if removed:
            self.stdout.write(f"removed {removed} undeclared schedule(s)")
