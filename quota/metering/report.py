"""What one usage or guard cycle did, for the logs, the commands and the benchmarks."""

from dataclasses import dataclass, field


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
