"""Read the byte counters of every managed user queue, with the router's uptime as the boot marker.

One `print` of `/queue/simple` per router (`.proplist=.id,name,comment,bytes`), one of `/system/resource`
for the uptime and, when asked, one of `/ip/hotspot/host` for device activity. Counters are never reset:
the bytes between a read and a reset would be lost (routeros.md C). Reading knows nothing about
residents; it hands back plain data keyed by the managed tag's user id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from routers.client import RouterError, connect
from routers.state import tag_user_id

_DURATION_PART = re.compile(r"(\d+)(ms|w|d|h|m|s)")
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


@dataclass(frozen=True)
class QueueCounters:
    queue_id: str
    name: str
    user_id: int
    bytes_up: int
    bytes_down: int


@dataclass(frozen=True)
class HostActivity:
    mac: str
    idle_s: int


@dataclass(frozen=True)
class CounterSnapshot:
    """What one router said at one moment."""

    router_id: int
    uptime_s: int
    read_at: datetime
    queues: tuple[QueueCounters, ...]
    hosts: tuple[HostActivity, ...] = ()

    @property
    def boot_marker(self) -> datetime:
        return self.read_at - timedelta(seconds=self.uptime_s)


def parse_duration(value) -> int:
    """RouterOS durations in whole seconds: '2w1d3h4m5s', '1m30s250ms' or '01:02:03'."""
    text = str(value or "").strip()
    if not text:
        return 0
    if ":" in text:
        days = 0
        if "d" in text:  # '1d 02:03:04' in old versions
            head, text = text.split("d", 1)
            days = int(head)
        hours, minutes, seconds = (int(float(part)) for part in text.strip().split(":"))
        return days * 86400 + hours * 3600 + minutes * 60 + seconds
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a RouterOS duration: {value!r}")
    return int(sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts))


def parse_byte_pair(value) -> tuple[int, int]:
    """'123/456' (upload/download) as integers."""
    up, _, down = str(value or "0/0").partition("/")
    return int(up or 0), int(down or 0)


def _name_query(names: list[str]) -> list[str]:
    words = [f"?name={name}" for name in names]
    return words + ["?#|"] * (len(names) - 1)


def counters_read(router, *, queue_names=None, with_hosts: bool = False, now=None) -> CounterSnapshot:
    """One snapshot of `router`'s managed queues (only those named in `queue_names`, when given).

    Raises `routers.client.RouterUnavailable` / `RouterError` like every router call.
    """
    try:
        return _counters_read(router, queue_names=queue_names, with_hosts=with_hosts, now=now)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # Well framed but not what RouterOS prints: treat it like a router that failed this read.
        raise RouterError(f"{router.name}: counters not understood ({type(exc).__name__}: {exc})") from exc


def _counters_read(router, *, queue_names, with_hosts, now) -> CounterSnapshot:
    names = sorted(queue_names) if queue_names is not None else None
    with connect(router) as api:
        queues = []
        if names is None or names:
            query = _name_query(names) if names else []
            rows = api.run("/queue/simple/print", "=.proplist=.id,name,comment,bytes", *query)
            for row in rows:
                user_id = tag_user_id(row.get("comment"))
                if user_id is None:
                    continue
                up, down = parse_byte_pair(row.get("bytes"))
                queues.append(QueueCounters(str(row[".id"]), str(row.get("name", "")), user_id, up, down))
        hosts = []
        if with_hosts:
            for row in api.run("/ip/hotspot/host/print", "=.proplist=mac-address,idle-time"):
                if row.get("mac-address"):
                    hosts.append(
                        HostActivity(str(row["mac-address"]).upper(), parse_duration(row.get("idle-time")))
                    )
        # The uptime last, so the boot marker and the counters describe the same moment closely.
        resource = api.run("/system/resource/print", "=.proplist=uptime")
        read_at = now or timezone.now()
    uptime_s = parse_duration(resource[0].get("uptime")) if resource else 0
    return CounterSnapshot(router.pk, uptime_s, read_at, tuple(queues), tuple(hosts))
