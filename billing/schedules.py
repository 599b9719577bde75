SCHEDULES = [
    # Catches payments whose notification never arrived or could not be confirmed, and expires the rest.
    {"name": "billing.reconcile_pending", "func": "billing.tasks.reconcile_pending", "minutes": 2},
]
