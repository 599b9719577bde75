"""Periodic tasks of core, installed by `manage.py ensure_schedules`."""

SCHEDULES = [
    {
        "name": "core.whatsapp_outbox_drain",
        "func": "core.whatsapp.outbox.outbox_drain",
        "minutes": 1,  # messages the queue could not take, and retries after a gateway failure
    },
    {
        "name": "core.cache_fallback_purge",
        "func": "core.cache.fallback_purge",
        "minutes": 60,  # expired counters kept while Redis was down
    },
]
