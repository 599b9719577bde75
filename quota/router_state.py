"""Domain → router desired state: the only place that knows both residents and RouterOS entries.

For other engineers:

- `user_converge(user_id) -> list[RunResult]`: targeted converge of one user on every enabled router, with
  a short timeout and one attempt (it runs inside web requests, e.g. the captive login). Raises
  `routers.client.RouterUnavailable` when a router could not be reached or used, after trying all of
  them; the router's last error and pending count are recorded either way.
- `full_reconcile(router=None, dry_run=False) -> list[RunResult]`: learn device IPs from each router,
  then converge it completely (used by `router_sync` and the `router-reconcile` schedule). Never raises
  for router trouble; each result says whether it worked.
- `router_check_against_db(router, attempts=None) -> CheckResult`: connectivity and drift against the
  database (used by `router_check` and the admin's check action).
- `queue_max_limit(...)`: the pure rate rule of the design's table, including the quota guard.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings

from accounts.models import Device, User
from accounts.selectors import site_members_q
from quota.selectors import access_status_of
from quota.status import AccessStatus
from routers.client import RouterUnavailable
from routers.selectors import routers_enabled
from routers.services import CheckResult, RunResult, router_check, router_converge
from routers.state import Binding, DesiredState, Lease, ListEntry, Queue, device_tag, parse_rate_pair

BINDING_TYPES = {AccessStatus.OK: "bypassed", AccessStatus.FUP: "bypassed", AccessStatus.BLOCKED: "blocked"}


def status_list(status: AccessStatus) -> str:
    return {
        AccessStatus.OK: settings.ROUTER_LIST_OK,
        AccessStatus.FUP: settings.ROUTER_LIST_FUP,
        AccessStatus.HABIS: settings.ROUTER_LIST_HABIS,
        # Debt-blocked residents are treated like habis: no binding, the hotspot captures the device and the
        # portal shows the pay page (the walled garden keeps the payment domains reachable).
        AccessStatus.DEBT: settings.ROUTER_LIST_HABIS,
        AccessStatus.EXPIRED: settings.ROUTER_LIST_EXPIRED,
        AccessStatus.INACTIVE: settings.ROUTER_LIST_INACTIVE,
        AccessStatus.BLOCKED: settings.ROUTER_LIST_BLOCKED,
    }[status]


def queue_max_limit(
    *, status: AccessStatus, tier_rate: str, fup_rate: str, guard_rate_bps: int | None
) -> tuple[int, int] | None:
    """(upload, download) bit/s of the user's queue, or None when the user has no queue.

    ok → the tier rate, fup → the FUP rate; while the quota guard is engaged, each direction is capped at
    the guard rate.
    """
    if status == AccessStatus.OK:
        upload, download = parse_rate_pair(tier_rate)
    elif status == AccessStatus.FUP:
        upload, download = parse_rate_pair(fup_rate)
    else:
        return None
    if guard_rate_bps is not None:
        guard = max(int(guard_rate_bps), 1)
        upload, download = min(upload, guard), min(download, guard)
    return upload, download


def _tier_rate(balance) -> str:
    tier = (balance.rate_tier if balance else "") or settings.DEFAULT_RATE_TIER
    return settings.RATE_TIERS.get(tier) or settings.RATE_TIERS[settings.DEFAULT_RATE_TIER]


def _devices(
    user_ids, site_id: int | None, addresses: dict[str, str] | None, write_ips: bool
) -> dict[int, list[Device]]:
    """Authorized devices by user (of `site_id`'s members, when given), with `last_ip` refreshed from what
    the router saw (saved in bulk)."""
    queryset = Device.objects.filter(is_authorized=True).only("id", "user_id", "mac", "last_ip", "last_seen")
    if user_ids is not None:
        queryset = queryset.filter(user_id__in=user_ids)
    if site_id is not None:
        queryset = queryset.filter(site_members_q(site_id, prefix="user__"))
    devices = list(queryset.order_by("id"))
    changed = []
    if addresses:
        for device in devices:
            learned = addresses.get(device.mac.upper())
            if learned and learned != device.last_ip:
                device.last_ip = learned
                changed.append(device)
        if changed and write_ips:
            Device.objects.bulk_update(changed, ["last_ip"], batch_size=500)
        # One IP, one device: the router's own view wins, then the most recently seen device.
        seen_by_router = {device.mac.upper() for device in devices if device.mac.upper() in addresses}
        owner: dict[str, Device] = {}
        ranked = sorted(devices, key=lambda d: (d.mac.upper() in seen_by_router, d.last_seen), reverse=True)
        for device in ranked:
            if device.last_ip and owner.setdefault(device.last_ip, device) is not device:
                device.last_ip = None
    by_user: dict[int, list[Device]] = {}
    for device in devices:
        by_user.setdefault(device.user_id, []).append(device)
    return by_user


def desired_state(
    *,
    site_id: int | None = None,
    user_ids=None,
    addresses: dict[str, str] | None = None,
    write_ips: bool = True,
):
    """The router state the database asks for on a router of `site_id` (its residents, and users without a
    location), for `user_ids` only when given. A user of another site has no entries here, so a targeted
    converge removes what they had (they moved) and adds them on their own site's routers."""
    devices_by_user = _devices(user_ids, site_id, addresses, write_ips)
    desired = DesiredState(user_ids=None if user_ids is None else frozenset(user_ids))
    # Only users with an authorized device have entries; `_devices` already kept to `user_ids`.
    users = User.objects.filter(pk__in=devices_by_user).select_related("balance").order_by("pk")
    for user in users:
        devices = devices_by_user[user.pk]
        balance = getattr(user, "balance", None)  # select_related fetched it, or its absence
        status = access_status_of(user, balance)
        binding_type = BINDING_TYPES.get(status)
        ips = []
        for device in devices:
            tag = device_tag(user.pk, device.pk)
            if binding_type:
                desired.bindings.append(Binding(tag=tag, mac=device.mac, type=binding_type))
            if device.last_ip:
                ips.append(device.last_ip)
                desired.list_entries.append(
                    ListEntry(tag=tag, list=status_list(status), address=device.last_ip)
                )
                if settings.ROUTER_STATIC_LEASES:
                    desired.leases.append(
                        Lease(
                            tag=tag,
                            mac=device.mac,
                            address=device.last_ip,
                            server=settings.ROUTER_DHCP_SERVER,
                        )
                    )
        rate = queue_max_limit(
            status=status,
            tier_rate=_tier_rate(balance),
            fup_rate=settings.FUP_RATE,
            guard_rate_bps=balance.guard_rate_bps if balance else None,
        )
        if rate and ips:
            desired.queues.append(Queue(user_id=user.pk, targets=tuple(sorted(ips)), max_limit=rate))
    return desired


def full_reconcile(
    router=None, *, routers=None, dry_run: bool = False, attempts: int | None = None
) -> list[RunResult]:
    """Converge `router` (or `routers`, or every enabled router) to the database, one after another; see the
    module docstring. `attempts` bounds the connection tries (1 inside a web request, so a router that is
    down answers in one timeout). The schedule fans out one task per router instead (quota.tasks)."""
    targets = [router] if router is not None else (routers if routers is not None else routers_enabled())

    return [
        router_converge(
            target,
            partial(_desired_for_router, site_id=target.site_id, write_ips=not dry_run),
            dry_run=dry_run,
            attempts=attempts,
        )
        for target in targets
    ]


def _desired_for_router(snapshot, *, site_id: int, write_ips: bool):
    return desired_state(site_id=site_id, addresses=snapshot.addresses, write_ips=write_ips)


def router_check_against_db(router, *, attempts: int | None = None) -> CheckResult:
    """`router_check` with the database's desired state as the reference for drift; writes nothing,
    not even the device addresses it learns."""

    return router_check(
        router, partial(_desired_for_router, site_id=router.site_id, write_ips=False), attempts=attempts
    )


def user_converge(user_id: int) -> list[RunResult]:
    """Converge one user's entries on every enabled router (added on their site's, removed elsewhere); see
    the module docstring. Raises RouterUnavailable when a router of the user's site failed."""
    user = User.objects.select_related("block", "tamping_type").filter(pk=user_id).first()
    site_id = user.site_id if user is not None else None  # a deleted user: their entries go everywhere
    routers = routers_enabled()
    by_site = {}
    results = []
    for router in routers:
        if router.site_id not in by_site:
            by_site[router.site_id] = desired_state(site_id=router.site_id, user_ids=[user_id])
        desired = by_site[router.site_id]
        results.append(
            router_converge(
                router,
                lambda snapshot, desired=desired: desired,
                user_ids=[user_id],
                timeout=settings.MIKROTIK_QUICK_TIMEOUT_S,
                attempts=1,
                pending_hint=max(desired.size, 1),
            )
        )
    # Only the routers that serve the user decide: one of another site being down must not stop a login.
    failed = [
        result
        for router, result in zip(routers, results, strict=True)
        if not result.ok and (site_id is None or router.site_id == site_id)
    ]
    if failed:
        raise RouterUnavailable("; ".join(result.error for result in failed))
    return results
