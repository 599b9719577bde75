"""Free riders: hosts in a site's client subnets that are none of our authorized devices, not exempt
(HOTSPOT_EXEMPT_IPS), not logged in or bypassed by the hotspot itself, and up at least
FREE_RIDER_MIN_UPTIME_S, go to the FREE_RIDER_LIST address list with a timeout; staff see them as
`routers.FreeRider` rows and may block a MAC (a blocked ip-binding) or register it to a resident.

One run per router (`free_riders_sync`), under the router's writer lock: one read of the host table, a
small converge of our list entries and blocked bindings, and the snapshot rows for staff.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Device
from accounts.selectors import site_members_q
from routers.client import RouterBusy, RouterUnavailable, connect
from routers.locks import router_writer
from routers.models import FreeRider, Router
from routers.sidelists import (
    FREE_RIDER_PREFIX,
    Host,
    blocked_bindings_converge,
    free_rider_tag,
    hosts_read,
    list_converge,
)

log = logging.getLogger(__name__)


@dataclass
class FreeRiderRun:
    router: str
    ok: bool
    riders: int = 0
    added: int = 0
    removed: int = 0
    error: str = ""

    def summary(self) -> str:
        if not self.ok:
            return f"{self.router}: FAILED: {self.error}"
        return f"{self.router}: {self.riders} free rider(s), {self.added} added, {self.removed} removed"


def free_riders_pick(*, hosts: list[Host], networks, ours: set[str], exempt: set[str], min_uptime_s: int):
    """The hosts that are free riders (pure)."""
    picked = {}
    for host in hosts:
        try:
            address = ipaddress.ip_address(host.address)
        except ValueError:
            continue
        if not any(address in network for network in networks):
            continue
        if host.mac in ours or host.address in exempt or host.authorized or host.bypassed:
            continue
        if host.uptime_s < min_uptime_s:
            continue
        picked.setdefault(host.mac, host)  # one MAC, one entry (the first row the router printed)
    return list(picked.values())


def _our_macs(site_id: int) -> set[str]:
    devices = Device.objects.filter(is_authorized=True).filter(site_members_q(site_id, prefix="user__"))
    return {mac.upper() for mac in devices.values_list("mac", flat=True)}


def _exempt() -> set[str]:
    return {ip.strip() for ip in settings.HOTSPOT_EXEMPT_IPS if ip.strip()}


def _snapshot_store(router: Router, riders: list[Host], now) -> None:
    with transaction.atomic():
        seen = {host.mac for host in riders}
        FreeRider.objects.filter(router=router, blocked=False).exclude(mac__in=seen).delete()
        existing = {row.mac: row for row in FreeRider.objects.select_for_update().filter(router=router)}
        for host in riders:
            row = existing.get(host.mac)
            if row is None:
                FreeRider.objects.create(
                    router=router, mac=host.mac, address=host.address, first_seen=now, last_seen=now
                )
            else:
                FreeRider.objects.filter(pk=row.pk).update(address=host.address, last_seen=now)


def free_riders_sync(router: Router, *, now=None) -> FreeRiderRun:
    """One free-rider run on `router`; never raises for router trouble."""
    now = now or timezone.now()
    result = FreeRiderRun(router=router.name, ok=False)
    site = router.site
    ours = _our_macs(site.pk)
    try:
        with router_writer(router.pk, wait_s=settings.ROUTER_LOCK_WAIT_S) as held:
            if not held:
                raise RouterBusy(f"{router.name}: another run is converging this router")
            with connect(router) as api:
                riders = free_riders_pick(
                    hosts=hosts_read(api),
                    networks=site.client_networks,
                    ours=ours,
                    exempt=_exempt(),
                    min_uptime_s=settings.FREE_RIDER_MIN_UPTIME_S,
                )
                wanted = {(host.address, free_rider_tag(host.mac)): host for host in riders}
                counts = list_converge(
                    api,
                    list_name=settings.FREE_RIDER_LIST,
                    prefix=FREE_RIDER_PREFIX,
                    wanted=wanted,
                    timeout=settings.FREE_RIDER_TIMEOUT,
                )
                # A MAC staff blocked, unless it became one of ours since.
                blocked = (
                    set(FreeRider.objects.filter(router=router, blocked=True).values_list("mac", flat=True))
                    - ours
                )
                blocked_bindings_converge(api, prefix=FREE_RIDER_PREFIX, macs=blocked)
    except RouterUnavailable as exc:
        result.error = exc.message
        log.warning("free riders on %s: %s", router.name, exc.message)
        return result
    FreeRider.objects.filter(router=router, blocked=True, mac__in=ours).delete()
    _snapshot_store(router, riders, now)
    result.ok, result.riders = True, len(riders)
    result.added, result.removed = counts["added"], counts["removed"]
    return result
