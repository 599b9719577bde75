"""Simulated traffic: flows of bits per second to or from a client IP, counted on simple queues.

A flow is counted on the first enabled ``/queue/simple`` entry (in menu order) whose target contains
its IP, capped per step by that queue's ``max-limit`` for the flow's direction (0 = unlimited); flows
sharing a queue and direction share the cap in proportion to their demand. Download counts into the
second half of ``bytes`` (``up/down``), upload into the first. The same bytes are added to the
``/ip/hotspot/host`` and ``/ip/hotspot/active`` entries with that IP (download = ``bytes-out``, from
the router to the client; upload = ``bytes-in``). Traffic with no matching queue is not capped and
not counted on any queue.

Arithmetic is exact: demand is tracked in bit-milliseconds with a per-flow remainder, so a 10M queue
for 10 s counts exactly 12,500,000 bytes whatever the step. Packets assume 1500-byte packets.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from routeros_sim.menus import Entry, Menu
from routeros_sim.values import split_pair

PACKET = 1500
BIT_MS_PER_BYTE = 8000
DIRECTIONS = {"up": 0, "down": 1}


@dataclass
class Flow:
    id: int
    address: ipaddress.IPv4Address
    bits_per_second: int
    direction: str
    remaining_ms: int | None = None
    carry: int = 0
    delivered: int = 0

    def span(self, dt_ms: int) -> int:
        return dt_ms if self.remaining_ms is None else max(min(dt_ms, self.remaining_ms), 0)


@lru_cache(maxsize=8192)
def _networks(target: str) -> tuple[ipaddress.IPv4Network, ...]:
    nets = []
    for part in target.split(","):
        try:
            nets.append(ipaddress.IPv4Network(part.strip(), strict=False))
        except ValueError:
            continue  # an interface name
    return tuple(nets)


def queue_for(queues: Menu, address: ipaddress.IPv4Address) -> Entry | None:
    """The first enabled simple queue whose target contains ``address``."""
    for entry in queues.entries:
        if entry.values.get("disabled") == "true":
            continue
        if any(address in net for net in _networks(entry.values.get("target", ""))):
            return entry
    return None


def _add_pair(entry: Entry, name: str, index: int, amount: int) -> None:
    pair = list(split_pair(entry.values.get(name, "0/0")))
    pair[index] += amount
    entry.values[name] = f"{pair[0]}/{pair[1]}"


def _packets(entry: Entry, key: str, nbytes: int) -> int:
    total = entry.scratch.get(key, 0) + nbytes
    packets, entry.scratch[key] = divmod(total, PACKET)
    return packets


def _count_hosts(menus: dict[str, Menu], flow: Flow, nbytes: int, now_ms: int) -> None:
    suffix = "out" if flow.direction == "down" else "in"
    address = str(flow.address)
    for path in ("/ip/hotspot/host", "/ip/hotspot/active"):
        for entry in menus[path].entries:
            if entry.values.get("address") == address:
                entry.values[f"bytes-{suffix}"] = str(int(entry.values.get(f"bytes-{suffix}", "0")) + nbytes)
                packets = _packets(entry, f"pkt-{suffix}", nbytes)
                entry.values[f"packets-{suffix}"] = str(
                    int(entry.values.get(f"packets-{suffix}", "0")) + packets
                )
                entry.seen_ms = now_ms


def _count_queue(entry: Entry, index: int, nbytes: int, dropped_bit_ms: int) -> None:
    _add_pair(entry, "bytes", index, nbytes)
    _add_pair(entry, "packets", index, _packets(entry, f"pkt-{index}", nbytes))
    if dropped_bit_ms:
        dropped_bytes = dropped_bit_ms // BIT_MS_PER_BYTE
        _add_pair(entry, "dropped", index, _packets(entry, f"drop-{index}", dropped_bytes))
    step = entry.scratch.setdefault("step", [0, 0])
    step[index] += nbytes


def step(menus: dict[str, Menu], flows: list[Flow], dt_ms: int, now_ms: int) -> None:
    """Apply ``dt_ms`` of every flow, then update each queue's ``rate`` from this step."""
    queues = menus["/queue/simple"]
    groups: dict[tuple, tuple[Entry | None, list[tuple[Flow, int]]]] = {}
    for flow in flows:
        span = flow.span(dt_ms)
        if span <= 0:
            continue
        entry = queue_for(queues, flow.address)
        key = (entry.number if entry else -flow.id, flow.direction)
        groups.setdefault(key, (entry, []))[1].append((flow, flow.bits_per_second * span))
    for (_, direction), (entry, members) in groups.items():
        index = DIRECTIONS[direction]
        demand = sum(d for _, d in members)
        allowed = demand
        if entry is not None:
            limit = split_pair(entry.values.get("max-limit", "0/0"))[index]
            if limit:
                allowed = min(demand, limit * dt_ms)
        total = 0
        for flow, wanted in members:
            flow.carry += wanted * allowed // demand if demand else 0
            nbytes, flow.carry = divmod(flow.carry, BIT_MS_PER_BYTE)
            flow.delivered += nbytes
            total += nbytes
            _count_hosts(menus, flow, nbytes, now_ms)
        if entry is not None:
            _count_queue(entry, index, total, demand - allowed)
    for flow in flows:
        if flow.remaining_ms is not None:
            flow.remaining_ms -= flow.span(dt_ms)
    for entry in queues.entries:
        counted = entry.scratch.pop("step", None)
        if counted is None:
            if entry.values.get("rate", "0/0") != "0/0":
                entry.values["rate"] = entry.values["packet-rate"] = "0/0"
            continue
        bps = [n * 8 * 1000 // dt_ms for n in counted]
        pps = [n * 1000 // dt_ms // PACKET for n in counted]
        entry.values["rate"] = f"{bps[0]}/{bps[1]}"
        entry.values["packet-rate"] = f"{pps[0]}/{pps[1]}"
