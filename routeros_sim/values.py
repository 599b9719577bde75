"""Parsing and printing of RouterOS property values (booleans, rates, durations, addresses).

Every parser takes the wire string and returns the normalised wire string that ``print`` shows,
or raises ValueError.
"""

from __future__ import annotations

import ipaddress
import re
from decimal import Decimal, InvalidOperation

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")
_RATE = re.compile(r"^(\d+(?:\.\d+)?)([kKmMgGtT]?)$")
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}
_DURATION_PART = re.compile(r"(\d+)(w|d|h|ms|m|s)")
_DURATION_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0}


def parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(value)


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def boolean(value: str) -> str:
    return format_bool(parse_bool(value))


def mac(value: str) -> str:
    if not _MAC.match(value.strip()):
        raise ValueError(value)
    return value.strip().upper().replace("-", ":")


def ipv4(value: str) -> str:
    return str(ipaddress.IPv4Address(value.strip()))


def interface_address(value: str) -> str:
    """``/ip/address`` ``address``: an IPv4 address with its prefix length (``10.0.0.1/24``); a bare
    address gets ``/32``."""
    return str(ipaddress.IPv4Interface(value.strip()))


def ip_network(value: str) -> ipaddress.IPv4Network:
    """An IPv4 address, ``a/n`` or ``a-b`` range; raises ValueError for anything else."""
    value = value.strip()
    if "-" in value:
        first, last = (ipaddress.IPv4Address(part) for part in value.split("-", 1))
        nets = list(ipaddress.summarize_address_range(first, last))
        if len(nets) != 1:
            raise ValueError(value)
        return nets[0]
    return ipaddress.IPv4Network(value, strict=False)


def list_address(value: str) -> str:
    """Address-list address: ``a.b.c.d`` (a ``/32`` is dropped), a CIDR (normalised to its
    network), an exact range (shown as CIDR), an inexact range (kept), or a DNS name (kept)."""
    value = value.strip()
    if not value:
        raise ValueError(value)
    try:
        net = ip_network(value)
    except ValueError:
        if re.match(r"^[\d.\-/]+$", value):  # looks numeric but is not a valid address or range
            if "-" in value:
                first, last = value.split("-", 1)
                ipv4(first), ipv4(last)
                return value
            raise
        return value.lower()
    return str(net.network_address) if net.prefixlen == 32 else str(net)


def target(value: str) -> str:
    """Simple-queue target: comma list of IPv4 ``a/n`` (bare addresses get ``/32``) or interface names."""
    parts = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            parts.append(str(ipaddress.IPv4Network(part, strict=False)))
        except ValueError:
            if re.match(r"^[\d./]+$", part):
                raise
            parts.append(part)
    return ",".join(parts)


def parse_rate(value: str) -> int:
    """``10M`` -> 10000000, ``512k`` -> 512000, ``1.5M`` -> 1500000, ``64000`` -> 64000."""
    match = _RATE.match(value.strip())
    if not match:
        raise ValueError(value)
    try:
        number = Decimal(match.group(1)) * _UNITS[match.group(2).lower()]
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    return int(number)


def pair(parse):
    """Parser for ``up/down`` values; a single value applies to both directions."""

    def parse_pair(value: str) -> str:
        parts = value.split("/")
        if len(parts) == 1:
            parts = parts * 2
        if len(parts) != 2:
            raise ValueError(value)
        return "/".join(str(parse(part)) for part in parts)

    return parse_pair


def split_pair(value: str) -> tuple[int, int]:
    up, _, down = value.partition("/")
    return int(up or 0), int(down or 0)


rate_pair = pair(parse_rate)


def priority(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 8:
        raise ValueError(value)
    return number


priority_pair = pair(priority)


def parse_duration(value: str) -> int:
    """Seconds from ``1w2d3h4m5s``, ``90`` (seconds), ``00:05:00`` or ``1d00:05:00``."""
    value = value.strip()
    if re.match(r"^\d+$", value):
        return int(value)
    clock = re.match(r"^(?:(\d+)d)?\s*(\d+):(\d{1,2}):(\d{1,2})$", value)
    if clock:
        days, hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return days * 86400 + hours * 3600 + minutes * 60 + seconds
    if not value or _DURATION_PART.sub("", value):
        raise ValueError(value)
    return sum(int(n) * _DURATION_SECONDS[unit] for n, unit in _DURATION_PART.findall(value))


def format_duration(seconds: float) -> str:
    """``1w2d3h4m5s`` with zero units left out; ``0s`` for zero."""
    seconds = max(int(seconds), 0)
    out = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out) or "0s"


def duration(value: str) -> str:
    return format_duration(parse_duration(value))


def choice(*options: str):
    """Parser accepting one of ``options`` exactly."""

    def parse_choice(value: str) -> str:
        if value not in options:
            raise ValueError(value)
        return value

    parse_choice.options = options  # type: ignore[attr-defined]
    return parse_choice


QUEUE_TYPES = (
    "default",
    "default-small",
    "ethernet-default",
    "wireless-default",
    "synchronous-default",
    "hotspot-default",
    "pcq-upload-default",
    "pcq-download-default",
    "only-hardware-queue",
    "multi-queue-ethernet-default",
)
queue_pair = pair(choice(*QUEUE_TYPES))
