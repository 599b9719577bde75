"""The menus the simulator knows (reference B): their fields, defaults and special rules."""

from __future__ import annotations

import ipaddress

from routeros_sim import hotspot_users, versions
from routeros_sim import values as v
from routeros_sim.clock import Clock
from routeros_sim.menus import Entry, Field, Menu, MenuSpec, Result, Trap, enum, flag, text
from routeros_sim.protocol import Request

ALREADY = "failure: already have such entry"
QUEUE_COUNTERS = ("bytes", "packets", "dropped", "rate", "packet-rate")
VERSION = versions.behaviour().resource_version
# Interfaces every simulated router starts with: a CHR's first Ethernet ports and the default bridge.
INTERFACES = [(f"ether{n}", "ether") for n in range(1, 6)] + [("bridge", "bridge")]

# Read-only time fields that test hooks may plant; stored as timestamps so they keep moving.
_TIMESTAMPS = {"uptime": "born_ms", "idle-time": "seen_ms", "last-seen": "seen_ms"}


def _ro(name: str, default: str | None = None, parse=None) -> Field:
    return Field(name, default, parse, read_only=True)


def _plant_times(menu: Menu, entry: Entry, changes: dict, is_add: bool) -> None:
    for name, attr in _TIMESTAMPS.items():
        if changes.get(name) is not None:
            setattr(entry, attr, menu.clock.now_ms - v.parse_duration(changes[name]) * 1000)
        entry.values.pop(name, None)


def _age(clock: Clock, ms: int) -> str:
    return v.format_duration((clock.now_ms - ms) // 1000)


# ---- /ip/firewall/address-list ------------------------------------------------------------------


def _address_list_write(menu: Menu, entry: Entry, changes: dict, is_add: bool) -> None:
    if "timeout" in changes:
        seconds = v.parse_duration(changes["timeout"]) if changes["timeout"] else 0
        entry.expires_ms = menu.clock.now_ms + seconds * 1000 if seconds else None
        entry.dynamic = bool(seconds)
    entry.values.pop("timeout", None)


def _address_list_render(menu: Menu, entry: Entry) -> dict[str, str]:
    row = {"creation-time": menu.clock.calendar(entry.born_ms)}
    if entry.expires_ms is not None:
        row["timeout"] = v.format_duration(max(entry.expires_ms - menu.clock.now_ms, 0) / 1000)
    return row


# ---- /queue/simple ------------------------------------------------------------------------------


def _queue_check(menu: Menu, entry: Entry, values: dict[str, str]) -> None:
    parent = values.get("parent", "none")
    if parent == "none":
        return
    others = menu.holding(("name",), (parent,)) - {entry.number}
    if not others or parent == values.get("name"):
        raise Trap("input does not match any value of parent", 1)


def _queue_render(menu: Menu, entry: Entry) -> dict[str, str]:
    up, down = v.split_pair(entry.values.get("bytes", "0/0"))
    pup, pdown = v.split_pair(entry.values.get("packets", "0/0"))
    return {"total-bytes": str(up + down), "total-packets": str(pup + pdown)}


def reset_queue_counters(entry: Entry) -> None:
    for name in QUEUE_COUNTERS:
        entry.values[name] = "0/0"
    entry.scratch.clear()


def _reset_counters(menu: Menu, request: Request) -> Result:
    for entry in menu.resolve(request):
        reset_queue_counters(entry)
    return Result()


def _reset_counters_all(menu: Menu, request: Request) -> Result:
    for entry in menu.entries:
        reset_queue_counters(entry)
    return Result()


# ---- /ip/dhcp-server/lease ------------------------------------------------------------------------


def _lease_write(menu: Menu, entry: Entry, changes: dict, is_add: bool) -> None:
    _plant_times(menu, entry, changes, is_add)
    if is_add and "status" not in entry.values:
        entry.values["status"] = "bound" if entry.dynamic else "waiting"


def _lease_render(menu: Menu, entry: Entry) -> dict[str, str]:
    bound = entry.values.get("status") == "bound"
    return {"last-seen": _age(menu.clock, entry.seen_ms) if bound else "never"}


def _make_static(menu: Menu, request: Request) -> Result:
    for entry in menu.resolve(request):
        entry.dynamic = False
    return Result()


# ---- /interface and /ip/address ------------------------------------------------------------------


def _interface_render(menu: Menu, entry: Entry) -> dict[str, str]:
    return {"running": v.format_bool(entry.values.get("disabled") != "true")}


def _address_check(menu: Menu, entry: Entry, values: dict[str, str]) -> None:
    # The manual's own trap example: /ip/address/add =address=192.168.88.1 =interface=asdf answers
    # !trap =category=1 =message=input does not match any value of interface.
    if not menu.siblings["/interface"].holding(("name",), (values.get("interface"),)):
        raise Trap("input does not match any value of interface", 1)


def _address_write(menu: Menu, entry: Entry, changes: dict, is_add: bool) -> None:
    if "address" in changes and "network" not in changes:
        net = ipaddress.IPv4Interface(entry.values["address"]).network
        entry.values["network"] = str(net.network_address)
    entry.values["actual-interface"] = entry.values.get("interface", "")


def plant_interfaces(menu: Menu) -> None:
    for n, (name, kind) in enumerate(INTERFACES, start=1):
        attrs = {"name": name, "default-name": name if kind == "ether" else "", "type": kind}
        attrs["mac-address"] = f"02:00:00:00:00:{n:02X}"
        menu.add({k: val for k, val in attrs.items() if val}, trusted=True)


def _host_render(menu: Menu, entry: Entry) -> dict[str, str]:
    return {"uptime": _age(menu.clock, entry.born_ms), "idle-time": _age(menu.clock, entry.seen_ms)}


def _resource_render(menu: Menu, entry: Entry) -> dict[str, str]:
    return {"uptime": v.format_duration(menu.clock.uptime_s)}


def _traffic_fields(*names: str) -> list[Field]:
    return [_ro(name, "0", lambda value: str(int(value))) for name in names]


def specs(
    *,
    queue_name_trap: str = ALREADY,
    binding_mac_trap: str | None = None,
    identity: str = "MikroTik",
    version: str = VERSION,
):
    """Menu declarations; the two duplicate traps are unverified on a real router, so configurable."""
    comment, disabled = text("comment"), flag("disabled")
    rate = v.rate_pair
    return [
        MenuSpec(
            "/interface",
            [
                text("name"),
                _ro("default-name"),
                _ro("type"),
                text("mtu", "1500", parse=lambda value: str(int(value))),
                _ro("actual-mtu", "1500"),
                _ro("mac-address", parse=v.mac),
                comment,
                disabled,
                _ro("running", "true", v.boolean),
                *_traffic_fields("rx-byte", "tx-byte", "rx-packet", "tx-packet", "link-downs"),
            ],
            verbs=frozenset({"set", "enable", "disable", "unset"}),
            name_field="name",
            render=_interface_render,
        ),
        MenuSpec(
            "/ip/address",
            [
                text("address", parse=v.interface_address, required=True),
                text("network", parse=v.ipv4),
                text("interface", required=True),
                _ro("actual-interface"),
                _ro("invalid", "false", v.boolean),
                comment,
                disabled,
            ],
            check=_address_check,
            on_write=_address_write,
        ),
        MenuSpec(
            "/ip/hotspot/ip-binding",
            [
                text("mac-address", parse=v.mac),
                text("address", parse=v.ipv4),
                text("to-address", parse=v.ipv4),
                text("server", "all"),
                enum("type", v.choice("regular", "bypassed", "blocked"), "regular"),
                comment,
                disabled,
            ],
            unique={("mac-address",): binding_mac_trap} if binding_mac_trap else {},
        ),
        MenuSpec(
            "/ip/firewall/address-list",
            [
                text("list", required=True),
                text("address", parse=v.list_address, required=True),
                text("timeout", parse=v.duration),
                comment,
                disabled,
                _ro("creation-time"),
            ],
            unique={("list", "address"): ALREADY},
            on_write=_address_list_write,
            render=_address_list_render,
        ),
        MenuSpec(
            "/queue/simple",
            [
                text("name"),
                text("target", "", parse=v.target),
                text("dst"),
                text("parent", "none"),
                text("packet-marks"),
                text("priority", "8/8", parse=v.priority_pair),
                enum("queue", v.queue_pair, "default-small/default-small"),
                text("limit-at", "0/0", parse=rate),
                text("max-limit", "0/0", parse=rate),
                text("burst-limit", "0/0", parse=rate),
                text("burst-threshold", "0/0", parse=rate),
                text("burst-time", "0s/0s", parse=v.pair(v.duration)),
                comment,
                disabled,
                *[_ro(name, "0/0", v.pair(int)) for name in QUEUE_COUNTERS],
                _ro("invalid", "false", v.boolean),
            ],
            verbs=frozenset({"add", "set", "remove", "enable", "disable", "unset", "move"}),
            commands={"reset-counters": _reset_counters, "reset-counters-all": _reset_counters_all},
            unique={("name",): queue_name_trap},
            name_field="name",
            auto_name="queue",
            ordered=True,
            check=_queue_check,
            render=_queue_render,
        ),
        MenuSpec(
            "/ip/hotspot/host",
            [
                _ro("mac-address", parse=v.mac),
                _ro("address", parse=v.ipv4),
                _ro("to-address", parse=v.ipv4),
                _ro("server", "hotspot1"),
                _ro("authorized", "false", v.boolean),
                _ro("bypassed", "false", v.boolean),
                *_traffic_fields("bytes-in", "bytes-out", "packets-in", "packets-out"),
                _ro("uptime", parse=v.duration),
                _ro("idle-time", parse=v.duration),
                comment,
            ],
            verbs=frozenset({"remove", "set"}),
            dynamic_default=True,
            on_write=_plant_times,
            render=_host_render,
        ),
        MenuSpec(
            "/ip/hotspot/active",
            [
                _ro("server", "hotspot1"),
                _ro("user"),
                _ro("address", parse=v.ipv4),
                _ro("mac-address", parse=v.mac),
                _ro("login-by", "http-chap"),
                _ro("uptime", parse=v.duration),
                _ro("idle-time", parse=v.duration),
                *_traffic_fields("bytes-in", "bytes-out", "packets-in", "packets-out"),
            ],
            verbs=frozenset({"remove"}),
            dynamic_default=True,
            dynamic_field=False,
            on_write=_plant_times,
            render=_host_render,
        ),
        MenuSpec(
            "/ip/arp",
            [
                text("address", parse=v.ipv4, required=True),
                text("mac-address", parse=v.mac),
                text("interface"),
                comment,
                disabled,
                _ro("complete", "true", v.boolean),
                _ro("invalid", "false", v.boolean),
                _ro("DHCP", "false", v.boolean),
            ],
        ),
        MenuSpec(
            "/ip/dhcp-server/lease",
            [
                text("address", parse=v.ipv4, required=True),
                text("mac-address", parse=v.mac),
                text("client-id"),
                text("server", "all"),
                comment,
                disabled,
                _ro("status", parse=v.choice("bound", "waiting", "offered")),
                _ro("host-name"),
                _ro("last-seen", parse=v.duration),
            ],
            commands={"make-static": _make_static},
            on_write=_lease_write,
            render=_lease_render,
        ),
        MenuSpec(
            "/ip/hotspot/walled-garden",
            [
                text("dst-host"),
                text("dst-port"),
                text("path"),
                text("method"),
                text("src-address"),
                text("server"),
                enum("action", v.choice("allow", "deny"), "allow"),
                comment,
                disabled,
            ],
        ),
        MenuSpec(
            "/ip/hotspot/walled-garden/ip",
            [
                text("dst-address"),
                text("dst-host"),
                text("dst-port"),
                text("protocol"),
                text("src-address"),
                text("server"),
                enum("action", v.choice("accept", "drop", "reject"), "accept"),
                comment,
                disabled,
            ],
        ),
        MenuSpec(
            "/system/resource",
            [
                _ro("version", version),
                _ro("build-time", "2025-03-11 11:59:04"),
                _ro("factory-software", "7.1"),
                _ro("free-memory", "912261120"),
                _ro("total-memory", "1073741824"),
                _ro("cpu", "QEMU"),
                _ro("cpu-count", "1"),
                _ro("cpu-frequency", "2400"),
                _ro("cpu-load", "1"),
                _ro("free-hdd-space", "83886080"),
                _ro("total-hdd-space", "134217728"),
                _ro("architecture-name", "x86_64"),
                _ro("board-name", "CHR"),
                _ro("platform", "MikroTik"),
            ],
            verbs=frozenset(),
            singleton=True,
            render=_resource_render,
        ),
        MenuSpec("/system/identity", [text("name", identity)], verbs=frozenset({"set"}), singleton=True),
        *hotspot_users.specs(),
    ]


def build(clock: Clock, **options) -> dict[str, Menu]:
    menus = {spec.path: Menu(spec, clock) for spec in specs(**options)}
    for menu in menus.values():
        menu.siblings = menus
    plant_interfaces(menus["/interface"])
    hotspot_users.plant_default_profile(menus[hotspot_users.PROFILES])
    return menus
