"""Background tasks of quota (django-q2). Thin: each calls one cycle or service and returns a summary."""

from quota.pruning import devices_prune
from quota.usage import usage_cycle


def usage_cycle_task() -> str:
    return usage_cycle().summary()


def devices_prune_task() -> str:
    pruned = devices_prune()
    return f"pruned {len(pruned)} device(s)"
