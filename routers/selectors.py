"""Reads on routers."""

import contextlib

from django.conf import settings
from django.db import IntegrityError

from routers.models import Router

DEFAULT_ROUTER_NAME = "default"


def routers_enabled(*, site_id: int | None = None) -> list[Router]:
    """The enabled routers, by name. With no router in the database and `MIKROTIK_HOST` set, a router
    named "default" is created from the `MIKROTIK_*` settings first (on the default site), so a one-router
    site needs no admin step. With `site_id`, only that site's routers."""
    routers = list(Router.objects.filter(enabled=True).order_by("name"))
    if routers or not settings.MIKROTIK_HOST or Router.objects.exists():
        return [router for router in routers if site_id is None or router.site_id == site_id]
    with contextlib.suppress(IntegrityError):  # a concurrent request created it first
        Router.objects.get_or_create(
            name=DEFAULT_ROUTER_NAME,
            defaults={
                "host": settings.MIKROTIK_HOST,
                "port": settings.MIKROTIK_PORT,
                "use_tls": settings.MIKROTIK_USE_TLS,
                "username": settings.MIKROTIK_USER,
                "password": settings.MIKROTIK_PASSWORD,
            },
        )
    return routers_enabled(site_id=site_id)


def router_named(name: str) -> Router | None:
    routers_enabled()  # materialise the default router if that is the only one
    return Router.objects.filter(name=name).first()
