"""The counter delta rule (pure): what a queue carried between two reads, and the ledger key of a read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reading:
    """One queue's counters at one read, with the router's uptime and boot marker at that read."""

    queue_id: str
    bytes_up: int
    bytes_down: int
    uptime_s: int
    boot_marker: datetime
    read_at: datetime


@dataclass(frozen=True)
class Delta:
    bytes_up: int
    bytes_down: int
    # Why the raw value itself is the delta: "first", "reboot", "recreated", "went_down"; or "".
    reset: str = ""
    rejected: bool = False

    @property
    def total(self) -> int:
        return 0 if self.rejected else self.bytes_up + self.bytes_down


def counter_delta(*, last: Reading | None, current: Reading, link_rate_bps: int, tolerance_s: int) -> Delta:
    """The bytes a queue carried since `last`.

    After a reboot (uptime went back, or the boot marker, now - uptime, moved past the last read by more
    than `tolerance_s`: the router booted after we last read it), a re-created
    queue (`.id` changed) or a counter that went down, the counter started again from zero since the last
    read, so the delta is the raw value (at most the bytes before the reset are lost, never counted
    twice). Otherwise it is raw minus last. A delta above `link_rate_bps` × elapsed router time (per
    direction, plus one second for the uptime's resolution) is impossible and is rejected.
    """
    if last is None:
        reset, elapsed = "first", current.uptime_s
    else:
        # Compared with the last read time rather than the last marker: a step of our own clock then
        # cannot pass for a reboot (which would count whole counters twice) unless the router booted
        # recently too.
        booted_after_last_read = (current.boot_marker - last.read_at).total_seconds() > tolerance_s
        if current.uptime_s < last.uptime_s or booted_after_last_read:
            reset, elapsed = "reboot", current.uptime_s
        elif current.queue_id != last.queue_id:
            reset, elapsed = "recreated", current.uptime_s - last.uptime_s
        elif current.bytes_up < last.bytes_up or current.bytes_down < last.bytes_down:
            reset, elapsed = "went_down", current.uptime_s - last.uptime_s
        else:
            reset, elapsed = "", current.uptime_s - last.uptime_s
    if reset:
        up, down = current.bytes_up, current.bytes_down
    else:
        up, down = current.bytes_up - last.bytes_up, current.bytes_down - last.bytes_down
    limit = link_rate_bps * (max(elapsed, 0) + 1) // 8
    return Delta(up, down, reset, rejected=up > limit or down > limit)


def usage_key(*, router_id: int, queue_name: str, reading: Reading) -> str:
    """Idempotency key of the ledger entry for the usage up to `reading`: the same snapshot, the same key."""
    marker = int(reading.boot_marker.timestamp())
    return (
        f"usage:r{router_id}:{queue_name}:{reading.queue_id}:{marker}:{reading.bytes_up}:{reading.bytes_down}"
    )
