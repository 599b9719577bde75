"""Reconciler benchmark: 2,000 residents × 3 devices against the RouterOS simulator over TCP.

Prints: the first converge of an empty router (target ≤ 15 s), a converged run (target 0 writes, ≤ 2 s),
a run after 1 % drift made on the router (target: writes = drift), a targeted converge of one user, and
the peak memory of this process (target ≤ 250 MB). The simulator runs in a child process so its memory
and CPU are not counted as ours. Uses a throw-away database `bench_reconcile_<pid>` on DATABASE_URL's
server (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/reconcile.py
"""

import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)
os.environ["MIKROTIK_HOST"] = ""

USERS = int(os.environ.get("BENCH_USERS", 2000))
DEVICES_PER_USER = 3
DRIFT_FRACTION = 0.01
SIM_CODE = """
import sys, time
from routeros_sim import RouterSimulator
sim = RouterSimulator(username="bench", password="bench").start()
print(sim.port, flush=True)
sys.stdin.read()
sim.stop()
"""


def start_simulator():
    child = subprocess.Popen(
        [sys.executable, "-c", SIM_CODE], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return child, int(child.stdout.readline())


def seed(count: int) -> None:
    from _bench import residents_create
    from django.utils import timezone

    from accounts.models import Device
    from quota.models import QuotaBalance

    users = residents_create(count)
    expires = timezone.now() + timedelta(days=30)
    QuotaBalance.objects.bulk_create(
        QuotaBalance(
            user=user, purchased_bytes=20 * 1024**3, used_bytes=(n % 20) * 1024**3, expires_at=expires
        )
        for n, user in enumerate(users)
    )
    devices = []
    for n, user in enumerate(users):
        for d in range(DEVICES_PER_USER):
            i = n * DEVICES_PER_USER + d
            mac = ":".join(f"{b:02X}" for b in (0xAC, 0xDE, 0x48, i >> 16 & 255, i >> 8 & 255, i & 255))
            devices.append(
                Device(user=user, mac=mac, last_ip=f"10.{20 + (i >> 16)}.{i >> 8 & 255}.{i & 255}")
            )
    Device.objects.bulk_create(devices, batch_size=2000)


def make_drift(port: int, fraction: float) -> int:
    """Change the router behind our back: delete, retarget and add managed entries. Returns the count."""
    import librouteros

    api = librouteros.connect("127.0.0.1", "bench", "bench", port=port)
    bindings = api.path("/ip/hotspot/ip-binding")
    lists = api.path("/ip/firewall/address-list")
    binding_ids = [row[".id"] for row in bindings.select(".id")]
    list_ids = [row[".id"] for row in lists.select(".id")]
    per_kind = max(int((len(binding_ids) + len(list_ids)) * fraction / 3), 1)
    for entry_id in binding_ids[:per_kind]:
        bindings.remove(entry_id)
    for entry_id in list_ids[:per_kind]:
        lists.update(**{".id": entry_id, "list": "klient_blocked"})
    for n in range(per_kind):
        lists.add(list="klient_aktif", address=f"10.99.{n >> 8}.{n & 255}", comment=f"lps:u=999999:d={n}")
    api.close()
    return 3 * per_kind


def timed(func):
    """(result, wall seconds); the CPU seconds of this process (client side only) go to `cpu`."""
    global cpu
    started, started_cpu = time.perf_counter(), time.process_time()
    result = func()
    cpu = time.process_time() - started_cpu
    return result, time.perf_counter() - started


cpu = 0.0


def main() -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"]["TEST"] = {"NAME": f"bench_reconcile_{os.getpid()}"}
    django.setup()
    from django.db import connection

    from quota.router_state import full_reconcile, user_converge
    from routers.models import Router

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    child, port = start_simulator()
    try:
        _, seconds = timed(lambda: seed(USERS))
        print(f"seeded {USERS} users x {DEVICES_PER_USER} devices in {seconds:.1f} s")
        Router.objects.create(name="bench", host="127.0.0.1", port=port, username="bench", password="bench")

        [first], seconds = timed(full_reconcile)
        print(
            f"first converge (empty router): {seconds:.2f} s, {first.report.writes} writes "
            f"in {first.report.commands} commands, ok={first.ok}, our CPU {cpu:.2f} s   [target <= 15 s]"
        )
        [again], seconds = timed(full_reconcile)
        print(
            f"converged run: {seconds:.2f} s, {again.report.writes} writes, our CPU {cpu:.2f} s   "
            "[target 0 writes, <= 2 s]"
        )
        drift = make_drift(port, DRIFT_FRACTION)
        [drifted], seconds = timed(full_reconcile)
        print(
            f"run after 1 % drift ({drift} entries changed on the router): {seconds:.2f} s, "
            f"{drifted.report.writes} writes   [target writes = drift]"
        )
        user_id = _some_user_id()
        _, seconds = timed(lambda: user_converge(user_id))
        print(f"targeted converge of one user: {seconds * 1000:.0f} ms, our CPU {cpu * 1000:.0f} ms")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (this process, max RSS): {peak_mb:.0f} MB   [target <= 250 MB]")
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _some_user_id() -> int:
    from accounts.models import User

    return User.objects.order_by("pk").values_list("pk", flat=True)[USERS // 2]


if __name__ == "__main__":
    main()
