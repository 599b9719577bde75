"""Every periodic task of the project, declared where it lives and installed by `ensure_schedules`.

Each app may define `SCHEDULES` in its own `schedules.py`: a list of dicts with `name`, `func` (dotted
path) and either `minutes` (every N minutes) or `cron`. Names are unique across the project.
"""

from importlib import import_module

from django.apps import apps


def declared_schedules() -> list[dict]:
    declared = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.schedules":
                raise
            continue
        declared.extend(getattr(module, "SCHEDULES", []))
    names = [item["name"] for item in declared]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"schedule names declared twice: {sorted(duplicates)}")
    return declared
