"""Periodic tasks of accounts, installed by `manage.py ensure_schedules`."""

SCHEDULES = [
    {
        "name": "accounts.registrations_purge",
        "func": "accounts.cleanup.registrations_purge_task",
        "cron": "30 2 * * *",  # daily, at night (server time zone)
    },
]
