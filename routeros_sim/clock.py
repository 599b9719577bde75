"""The simulated clock: integer milliseconds, so stepping and byte arithmetic stay exact."""

from __future__ import annotations

import time


class Clock:
    """Simulated time. ``now_ms`` only moves when the router advances it; ``boot_ms`` is the last boot.

    ``epoch`` maps simulated time to a calendar date for fields such as ``creation-time``.
    """

    def __init__(self) -> None:
        self.now_ms = 0
        self.boot_ms = 0
        self.epoch = time.time()

    @property
    def uptime_s(self) -> float:
        return (self.now_ms - self.boot_ms) / 1000

    def calendar(self, ms: int) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.epoch + ms / 1000))
