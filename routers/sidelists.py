"""Managed entries that belong to no user: the free-rider list and binding, and the walled garden.

Each is a small converge of its own, under the router's writer lock: read only our entries of one kind (by
comment prefix), add what is missing, remove what is no longer wanted. The user reconciler
(routers.reconcile) never touches them (routers.state.SIDE_PREFIXES).

Tags: free-rider list entries `lps:ua:<MAC>` (with a timeout, so a router left alone forgets them),
blocked bindings `lps:ua:<MAC>`, walled-garden entries `lps:wg:<domain>`.
"""

from __future__ import annotations

from dataclasses import dataclass

from routers.client import RouterError
from routers.counters import parse_duration
from routers.reconcile import ADDRESS_LIST, BINDINGS, HOSTS, NO_SUCH_ITEM
from routers.state import bare_ip

FREE_RIDER_PREFIX = "lps:ua:"
WALLED_GARDEN_PREFIX = "lps:wg:"


def free_rider_tag(mac: str) -> str:
    return f"{FREE_RIDER_PREFIX}{mac.upper()}"


def walled_garden_tag(domain: str) -> str:
    return f"{WALLED_GARDEN_PREFIX}{domain.lower()}"


@dataclass(frozen=True)
class Host:
    mac: str
    address: str
    uptime_s: int
    authorized: bool
    bypassed: bool


def _true(value) -> bool:
    return value is True or str(value).lower() in ("true", "yes")


def hosts_read(api) -> list[Host]:
    """The hotspot host table: one `print`."""
    rows = api.run(f"{HOSTS}/print", "=.proplist=mac-address,address,uptime,authorized,bypassed")
    hosts = []
    for row in rows:
        mac, address = str(row.get("mac-address") or "").upper(), bare_ip(row.get("address"))
        if mac and address:
            hosts.append(
                Host(
                    mac,
                    address,
                    parse_duration(row.get("uptime")),
                    _true(row.get("authorized")),
                    _true(row.get("bypassed")),
                )
            )
    return hosts


def _ours(api, menu: str, prefix: str, proplist: str) -> list[dict]:
    # A string range on the comment: every comment starting with `prefix` sorts between it and prefix + "~".
    return api.run(
        f"{menu}/print", f"=.proplist={proplist}", f"?>comment={prefix}", f"?<comment={prefix}~", "?#&"
    )


def _remove(api, menu: str, ids: list[str]) -> int:
    removed = 0
    for entry_id in ids:
        try:
            api.run(f"{menu}/remove", f"=.id={entry_id}")
            removed += 1
        except RouterError as exc:
            if NO_SUCH_ITEM not in exc.message:
                raise
    return removed


def list_converge(
    api, *, list_name: str, prefix: str, wanted: dict[tuple[str, str], str], timeout: str = ""
) -> dict:
    """Make our entries (comment starting with `prefix`) of `list_name` exactly `wanted`:
    {(address, comment): ...}. Entries that exist are left as they are (a timeout is not refreshed: a free
    rider still there after it ran out is added again). Returns counts."""
    rows = _ours(api, ADDRESS_LIST, prefix, ".id,list,address,comment")
    have = {}
    stale = []
    for row in rows:
        key = (bare_ip(row.get("address")), str(row.get("comment") or ""))
        if str(row.get("list")) != list_name or key not in wanted or key in have:
            stale.append(str(row[".id"]))
        else:
            have[key] = row
    removed = _remove(api, ADDRESS_LIST, stale)
    added = 0
    for address, comment in sorted(set(wanted) - set(have)):
        words = [f"=list={list_name}", f"=address={address}", f"=comment={comment}"]
        if timeout:
            words.append(f"=timeout={timeout}")
        try:
            api.run(f"{ADDRESS_LIST}/add", *words)
            added += 1
        except RouterError as exc:
            if "already have" not in exc.message:  # someone else's entry covers it
                raise
    return {"added": added, "removed": removed}


def blocked_bindings_converge(api, *, prefix: str, macs: set[str]) -> dict:
    """Blocked ip-bindings for `macs` (tag prefix + MAC), none other of ours."""
    rows = _ours(api, BINDINGS, prefix, ".id,mac-address,type,comment")
    have, stale = set(), []
    for row in rows:
        mac = str(row.get("mac-address") or "").upper()
        if (
            mac in macs
            and row.get("type") == "blocked"
            and row.get("comment") == prefix + mac
            and mac not in have
        ):
            have.add(mac)
        else:
            stale.append(str(row[".id"]))
    removed = _remove(api, BINDINGS, stale)
    for mac in sorted(macs - have):
        api.run(f"{BINDINGS}/add", f"=mac-address={mac}", "=type=blocked", f"=comment={prefix}{mac}")
    return {"added": len(macs - have), "removed": removed}
