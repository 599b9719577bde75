"""Reads on routers."""

import contextlib

from django.conf import settings
from django.db import IntegrityError

from routers.models import Router
from sites.selectors import site_named

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


def routers_selected(*, site: str | None = None, router: str | None = None) -> list[Router]:
    """The enabled routers a command names: one router (--router NAME), a site's (--site CODE or name),
    or all. Raises ValueError with a message for the operator when a name matches nothing."""
    site_id = None
    if site:
        found = site_named(site)
        if found is None:
            raise ValueError(f"no site with code or name {site!r}")
        site_id = found.pk
    routers = routers_enabled(site_id=site_id)
    if router:
        named = router_named(router)
        if named is None:
            raise ValueError(f"no router named {router!r}")
        if site_id is not None and named.site_id != site_id:
            raise ValueError(f"router {router!r} does not belong to site {site!r}")
        return [named]
    return routers
