"""Desired router state as plain data, the managed comment tags, and RouterOS value normalisation.

`routers` knows RouterOS and nothing about residents: the domain (quota.router_state) builds a
`DesiredState` from the database and the reconciler converges a router to it. Every entry we own carries a
managed comment (ASCII, starting with `lps:`); entries without it are never edited or deleted.

Tags: ip-binding, address-list and static DHCP lease entries `lps:u=<user_id>:d=<device_id>`; the simple
queue of a user is named `lps-u<user_id>` with the comment `lps:u=<user_id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MANAGED_PREFIX = "lps:"
# Managed entries that are not a user's: free riders (`lps:ua:`) and the walled garden (`lps:wg:`). Their own
# small converge (routers.sidelists) owns them; the user reconciler leaves them alone.
SIDE_PREFIXES = ("lps:ua:", "lps:wg:")
_TAG = re.compile(r"^lps:u=(\d+)(?::d=(\d+))?$")
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKMG]?)\s*$")
_RATE_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 1000**2, "G": 1000**3}


def device_tag(user_id: int, device_id: int) -> str:
    return f"lps:u={user_id}:d={device_id}"


def user_tag(user_id: int) -> str:
    return f"lps:u={user_id}"


def queue_name(user_id: int) -> str:
    return f"lps-u{user_id}"


def is_managed(comment) -> bool:
    return isinstance(comment, str) and comment.startswith(MANAGED_PREFIX)


def tag_user_id(comment) -> int | None:
    """The user id in a managed tag, or None for anything else (foreign or malformed comments)."""
    match = _TAG.match(comment) if isinstance(comment, str) else None
    return int(match.group(1)) if match else None


def parse_rate(value) -> int:
    """A RouterOS bit rate (`10M`, `512k`, `1.5M`, `64000`) in bit/s; k, M and G are powers of 1000."""
    match = _RATE.match(str(value))
    if not match:
        raise ValueError(f"not a RouterOS rate: {value!r}")
    return int(float(match.group(1)) * _RATE_UNITS[match.group(2)])


def parse_rate_pair(value) -> tuple[int, int]:
    """`upload/download` as RouterOS writes a queue's max-limit; a single rate applies to both."""
    parts = str(value).split("/")
    if len(parts) == 1:
        rate = parse_rate(parts[0])
        return rate, rate
    if len(parts) != 2:
        raise ValueError(f"not a RouterOS rate pair: {value!r}")
    return parse_rate(parts[0]), parse_rate(parts[1])


def format_rate_pair(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}"


def bare_ip(value) -> str:
    """`10.0.0.5/32` and `10.0.0.5` are the same host."""
    text = str(value or "").strip()
    return text[:-3] if text.endswith("/32") else text


def normalize_targets(value) -> tuple[str, ...]:
    """A queue target as a sorted tuple of host addresses, so order and `/32` never count as drift."""
    return tuple(sorted(bare_ip(part) for part in str(value or "").split(",") if part.strip()))


@dataclass(frozen=True)
class Binding:
    """A `/ip/hotspot/ip-binding` entry for one device MAC: `bypassed` or `blocked`."""

    tag: str
    mac: str
    type: str


@dataclass(frozen=True)
class ListEntry:
    """A `/ip/firewall/address-list` entry for one device IP in its status list."""

    tag: str
    list: str
    address: str


@dataclass(frozen=True)
class Queue:
    """The `/queue/simple` of one user: its device IPs as targets, max-limit as `(upload, download)`."""

    user_id: int
    targets: tuple[str, ...]
    max_limit: tuple[int, int]

    @property
    def tag(self) -> str:
        return user_tag(self.user_id)

    @property
    def name(self) -> str:
        return queue_name(self.user_id)


@dataclass(frozen=True)
class Lease:
    """A static `/ip/dhcp-server/lease` pinning a device's IP; `server` empty leaves the router's default."""

    tag: str
    mac: str
    address: str
    server: str = ""


@dataclass
class DesiredState:
    """Everything the router must hold that we own. `user_ids`, when set, limits the scope of a converge:
    only managed entries of those users are read, compared and changed (a targeted converge)."""

    bindings: list[Binding] = field(default_factory=list)
    list_entries: list[ListEntry] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)
    user_ids: frozenset[int] | None = None

    def in_scope(self, comment) -> bool:
        if not is_managed(comment) or comment.startswith(SIDE_PREFIXES):
            return False
        if self.user_ids is None:
            return True
        return tag_user_id(comment) in self.user_ids

    @property
    def size(self) -> int:
        return len(self.bindings) + len(self.list_entries) + len(self.queues) + len(self.leases)
