"""Usage accounting: router queue counters → ledger `usage` entries, balances and daily usage.

The delta rule (`counter_delta`) is pure. The cycle (`usage_cycle`) reads every enabled router once,
outside any transaction, then applies all snapshots in one transaction (`snapshots_apply` in
quota/usage_apply.py) whose SQL does not grow with the number of users.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from routers.client import RouterError
from routers.counters import counters_read
from routers.selectors import routers_enabled

logger = logging.getLogger(__name__)


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


@dataclass
class CycleReport:
    routers_read: int = 0
    routers_failed: list[tuple[str, str]] = field(default_factory=list)
    queues: int = 0
    entries: int = 0
    usage_bytes: int = 0
    unlimited_bytes: int = 0
    rejected: list[dict] = field(default_factory=list)
    resets: int = 0
    stale: int = 0
    transitions: list[tuple[int, str, str]] = field(default_factory=list)
    notices: int = 0
    guard_changes: int = 0
    guarded: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        failed = ", ".join(f"{name} ({error})" for name, error in self.routers_failed) or "none"
        return (
            f"routers read {self.routers_read}, failed: {failed}; queues {self.queues}; "
            f"ledger entries {self.entries} ({self.usage_bytes} B, unlimited {self.unlimited_bytes} B); "
            f"resets {self.resets}; rejected {len(self.rejected)}; stale {self.stale}; "
            f"transitions {len(self.transitions)}; notices {self.notices}; "
            f"guarded {self.guarded} (changed {self.guard_changes}); {self.seconds:.3f} s"
        )


def snapshots_read(*, routers=None, queue_names=None, with_hosts: bool = False, now=None):
    """One snapshot per reachable router, and the (name, error) of those that failed.

    A router that fails keeps its last samples, so its usage is counted by the next cycle that reads it.
    """
    snapshots, failed = [], []
    for router in routers if routers is not None else routers_enabled():
        try:
            snapshots.append(
                counters_read(
                    router, queue_names=queue_names, with_hosts=with_hosts, now=now() if now else None
                )
            )
        except RouterError as exc:
            logger.warning("usage: router %s not read: %s", router.name, exc)
            failed.append((router.name, str(exc)))
    return snapshots, failed


def usage_cycle(*, now=None) -> CycleReport:
    """One normal usage cycle over every enabled router. `now` is a callable for the clock (tests)."""
    from quota.usage_apply import snapshots_apply

    started = time.perf_counter()
    clock = now or timezone.now
    snapshots, failed = snapshots_read(with_hosts=True, now=clock)
    report = snapshots_apply(snapshots, now=clock(), full=True)
    report.routers_failed = failed
    report.seconds = time.perf_counter() - started
    return report
