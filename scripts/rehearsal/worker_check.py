# Run by scripts/deploy_rehearsal through `scripts/manage shell -c`: the django-q2 cluster has completed
# tasks (the schedules ensure_schedules installed and the converge queued by the payment).
from django_q.models import Failure, Success

done = Success.objects.count()
if not done:
    raise SystemExit("the worker has completed no task")
names = sorted(set(Success.objects.values_list("name", flat=True)[:20]))
print(f"worker: {done} task(s) done, {Failure.objects.count()} failed; e.g. {', '.join(names[:5])}")
