"""Bytes used past zero: a resident with 100 MiB left downloading at 20, 50 and 100 Mbit/s.

Runs the real usage cycle (every 60 s) and the real quota guard (every 5 s) against the RouterOS
simulator over TCP, stepping the simulator's clock deterministically. Between a cycle's counter read and
its database work + router converge the simulator advances LATENCY seconds (the cycle's own time: the
old limit stays on the router meanwhile). The ground truth is the queue's own counter, sampled until the
habis converge removes the queue (after that the hotspot captures the device). Printed next to what a
5-minute cycle without the guard lets through (simulated the same way). Target: <= 1 MiB with the guard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/overshoot.py
"""

from datetime import timedelta

import _usage_setup  # noqa: F401 - Django on a throw-away database
from _bench import simulated_router
from django.conf import settings
from django.utils import timezone

MIB = 1024**2
M = 1_000_000
SPEEDS_MBPS = (20, 50, 100)
LATENCIES_S = (0.25, 1.0)
REMAINING = 100 * MIB


def run(sim, *, mbps: int, guard: bool, normal_interval_s: int, latency_s: float) -> int:
    """Bytes the router let through past the quota for one resident."""
    from accounts.models import Device, User
    from quota.metering.apply import snapshots_apply
    from quota.metering.read import snapshots_read
    from quota.models import QuotaBalance
    from quota.router_state import user_converge
    from quota.services import quota_grant
    from routers.state import queue_name

    settings.QUOTA_GUARD_HORIZON_S = 2 * normal_interval_s if guard else 0
    n = User.objects.count() + 1
    user = User.objects.create_user(
        phone=f"+6285{n:09d}", full_name=f"Warga Uji {n}", approval_status="APPROVED", tamping_type=_tamping()
    )
    quota_grant(user=user, amount_bytes=REMAINING, days=30, idempotency_key=f"bench:{user.pk}")
    QuotaBalance.objects.filter(user=user).update(rate_tier="bench")
    ip = f"172.16.{5 + n // 250}.{n % 250 + 1}"
    Device.objects.create(user=user, mac=f"AC:DE:48:01:{n // 256:02X}:{n % 256:02X}", last_ip=ip)
    user_converge(user.pk)
    start = timezone.now()
    clock = lambda: start + timedelta(seconds=sim.now())  # noqa: E731
    name = queue_name(user.pk)

    def counted() -> int | None:
        row = next((r for r in sim.menu("/queue/simple").rows() if r.get("name") == name), None)
        return None if row is None else sum(int(x) for x in row["bytes"].split("/"))

    def cycle(guarded_only: bool) -> None:
        names = [name] if guarded_only else None
        snapshots, _ = snapshots_read(queue_names=names, now=clock, with_hosts=not guarded_only)
        sim.advance(latency_s)  # the old limit holds while the cycle works
        state["last"] = counted() if counted() is not None else state["last"]
        snapshots_apply(snapshots, now=clock(), full=not guarded_only, scope_user_ids=[user.pk])

    state = {"last": 0}
    cycle(guarded_only=False)  # the normal cycle that finds the resident (and enrols them)
    flow = sim.start_flow(ip, mbps * M)
    fast = settings.QUOTA_FAST_INTERVAL_S
    elapsed = latency_s
    while counted() is not None and elapsed < 3600:
        guarded = QuotaBalance.objects.get(user=user).guard_rate_bps is not None
        if guard and guarded:
            sim.advance(fast - latency_s)
            elapsed += fast
            cycle(guarded_only=True)
        else:
            sim.advance(normal_interval_s - latency_s)
            elapsed += normal_interval_s
            cycle(guarded_only=False)
    sim.stop_flow(flow)
    return state["last"] - REMAINING


_tamping_type = None


def _tamping():
    global _tamping_type
    from accounts.models import TampingType

    _tamping_type = _tamping_type or TampingType.objects.get_or_create(name="Bench")[0]
    return _tamping_type


def main():
    settings.RATE_TIERS = {**settings.RATE_TIERS, "bench": "1G/1G"}  # the download speed is the limit
    settings.LOW_QUOTA_WARNING_MB, settings.EXPIRY_WARNING_DAYS = [], []
    with simulated_router() as sim:
        print(
            f"bytes used past zero, {REMAINING // MIB} MiB left, "
            f"guard every {settings.QUOTA_FAST_INTERVAL_S} s "
            f"(floor {settings.QUOTA_GUARD_MIN_RATE_BPS} bit/s), normal cycle every 60 s"
        )
        header = "  speed     " + "".join(f"guard, {lat:g} s latency   " for lat in LATENCIES_S)
        print(header + "5-min cycle, no guard    (worst case rate x 300 s)")
        for mbps in SPEEDS_MBPS:
            cells = [
                run(sim, mbps=mbps, guard=True, normal_interval_s=60, latency_s=lat) for lat in LATENCIES_S
            ]
            unguarded = run(sim, mbps=mbps, guard=False, normal_interval_s=300, latency_s=0.25)
            worst = mbps * M * 300 // 8
            print(
                f"  {mbps:3d} Mbps  "
                + "".join(f"{cell / MIB:10.3f} MiB          " for cell in cells)
                + f"{unguarded / MIB:10.1f} MiB          ({worst / MIB:.0f} MiB)"
            )


if __name__ == "__main__":
    main()
