"""The walled garden for payments: WALLED_GARDEN_DOMAINS resolved into the WALLED_GARDEN_LIST address list
on every router, which residents in `habis`, `expired` or blocked for debt may reach (the firewall rule in
deploy/routeros/bootstrap.rsc).

`walled_garden_refresh(resolver=...)` resolves every domain (daily schedule, `walled_garden_sync` command):
a domain that resolves refreshes its addresses; one that fails keeps its last good ones; an address not
seen for WALLED_GARDEN_KEEP_DAYS ages out. `walled_garden_converge(router)` makes the router's list match.
The resolver is a parameter, so tests hand in a fake (they never reach the network).
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from routers.client import RouterBusy, RouterUnavailable, connect
from routers.locks import router_writer
from routers.models import Router, WalledGardenAddress
from routers.selectors import routers_enabled
from routers.sidelists import WALLED_GARDEN_PREFIX, list_converge, walled_garden_tag

log = logging.getLogger(__name__)

Resolver = Callable[[str], list[str]]


class ResolveError(Exception):
    pass


def dns_resolve(domain: str) -> list[str]:
    """IPv4 addresses of `domain` through the system resolver, within WALLED_GARDEN_DNS_TIMEOUT_S."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(socket.getaddrinfo, domain, 443, socket.AF_INET, socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=settings.WALLED_GARDEN_DNS_TIMEOUT_S)
    except (OSError, concurrent.futures.TimeoutError) as exc:
        raise ResolveError(f"{domain}: {type(exc).__name__}") from exc
    finally:
        pool.shutdown(wait=False)  # a hung lookup must not hold the run
    return sorted({info[4][0] for info in infos})


@dataclass
class RefreshReport:
    resolved: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    added: int = 0
    aged_out: int = 0

    def summary(self) -> str:
        text = (
            f"{len(self.resolved)} domain(s) resolved, {self.added} new address(es), {self.aged_out} aged out"
        )
        if self.failed:
            text += "; kept the last addresses of: " + ", ".join(self.failed)
        return text


def _public_ipv4(values) -> list[str]:
    good = []
    for value in values:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            continue
        if address.version == 4 and address.is_global:
            good.append(str(address))
    return sorted(set(good))


def walled_garden_refresh(*, resolver: Resolver = dns_resolve, domains=None, now=None) -> RefreshReport:
    """Resolve the domains into WalledGardenAddress rows (see the module docstring)."""
    now = now or timezone.now()
    domains = [
        d.strip().lower() for d in (domains if domains is not None else settings.WALLED_GARDEN_DOMAINS)
    ]
    report = RefreshReport()
    for domain in sorted({d for d in domains if d}):
        try:
            addresses = _public_ipv4(resolver(domain))
        except (ResolveError, OSError) as exc:
            log.warning("walled garden: %s did not resolve (%s); keeping its last addresses", domain, exc)
            report.failed.append(domain)
            continue
        if not addresses:
            report.failed.append(domain)
            continue
        report.resolved.append(domain)
        with transaction.atomic():
            for address in addresses:
                _, created = WalledGardenAddress.objects.update_or_create(
                    domain=domain,
                    address=address,
                    defaults={"last_resolved_at": now},
                    create_defaults={"first_resolved_at": now, "last_resolved_at": now},
                )
                report.added += created
    cutoff = now - timedelta(days=settings.WALLED_GARDEN_KEEP_DAYS)
    report.aged_out, _ = WalledGardenAddress.objects.filter(last_resolved_at__lt=cutoff).delete()
    # A domain no longer configured leaves at once.
    WalledGardenAddress.objects.exclude(domain__in=domains).delete()
    return report


def walled_garden_wanted() -> dict[tuple[str, str], str]:
    return {
        (row.address, walled_garden_tag(row.domain)): row.domain
        for row in WalledGardenAddress.objects.order_by("domain", "address")
    }


def walled_garden_converge(router: Router) -> tuple[bool, str]:
    """Make `router`'s walled-garden list match the database; (ok, summary)."""
    try:
        with router_writer(router.pk, wait_s=settings.ROUTER_LOCK_WAIT_S) as held:
            if not held:
                raise RouterBusy(f"{router.name}: another run is converging this router")
            with connect(router) as api:
                counts = list_converge(
                    api,
                    list_name=settings.WALLED_GARDEN_LIST,
                    prefix=WALLED_GARDEN_PREFIX,
                    wanted=walled_garden_wanted(),
                )
    except RouterUnavailable as exc:
        return False, f"{router.name}: FAILED: {exc.message}"
    return True, f"{router.name}: {counts['added']} added, {counts['removed']} removed"


def walled_garden_sync(*, resolver: Resolver = dns_resolve) -> list[str]:
    """Refresh, then converge every enabled router; lines for a person to read."""
    lines = [walled_garden_refresh(resolver=resolver).summary()]
    lines += [walled_garden_converge(router)[1] for router in routers_enabled()]
    return lines
