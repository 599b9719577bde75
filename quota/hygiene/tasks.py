"""Background tasks of hotspot hygiene and the account lifecycle (django-q2); thin."""

from django_q.tasks import async_task

from quota.hygiene.free_riders import free_riders_sync
from quota.lifecycle import inactive_run
from routers.models import Router
from routers.selectors import routers_enabled
from routers.walled_garden import walled_garden_sync


def free_riders_task() -> str:
    routers = routers_enabled()
    for router in routers:
        async_task(
            "quota.hygiene.tasks.free_riders_router_task", router.pk, task_name=f"free-riders-{router.pk}"
        )
    return f"queued the free-rider run of {len(routers)} router(s)"


def free_riders_router_task(router_id: int) -> str:
    router = Router.objects.filter(pk=router_id, enabled=True).select_related("site").first()
    if router is None:
        return f"router {router_id} is gone or disabled"
    return free_riders_sync(router).summary()


def walled_garden_task() -> str:
    return "\n".join(walled_garden_sync())


def inactive_task() -> str:
    counts = inactive_run()
    return ", ".join(f"{step}: {n}" for step, n in counts.items())
