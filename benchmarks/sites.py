"""Many sites benchmark: 10 sites, each with its own router (a separate simulator process), 1,000 residents
and 2 devices each; the scheduled work fanned out one task per router over 1 and 2 worker processes.

Prints, for 1 and 2 workers: the full reconcile of all routers from empty, a converged run (target ≤ 3 s
with 2 workers) and one usage cycle of all routers (target ≤ 3 s); then the same converged run with an
11th router blackholed (accepts connections, never answers: it may add no more than its timeout), and the
SQL statements of one router's usage cycle at 1,000 and at 100 residents (target: the same count).
Uses a throw-away test database on DATABASE_URL's server (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/sites.py
"""

import multiprocessing
import os
import socket
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
os.environ["MIKROTIK_TIMEOUT_S"] = os.environ.get("BENCH_TIMEOUT_S", "3")
os.environ["MIKROTIK_CONNECT_ATTEMPTS"] = "1"
os.environ["Q_SYNC"] = "1"
os.environ["Q_BROKER"] = "orm"

SITES = int(os.environ.get("BENCH_SITES", 10))
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", 1000))
DEVICES = 2
SMALL = 100  # residents of the extra site used to show the SQL count does not grow

# A simulator in its own process; "tick" advances its clock 60 s and adds 60 s of traffic at 2 Mbit/s down
# and 0.2 Mbit/s up to every managed queue (the queue counters the usage cycle reads).
SIM_CODE = """
import sys
from routeros_sim import RouterSimulator
sim = RouterSimulator(username="bench", password="bench").start()
print(sim.port, flush=True)
for line in sys.stdin:
    sim.advance(60)
    queues = sim.menu("/queue/simple")
    for row in queues.rows():
        if row.get("comment", "").startswith("lps:"):
            up, down = (int(part) for part in row.get("bytes", "0/0").split("/"))
            queues.set(row[".id"], {"bytes": f"{up + 1_500_000}/{down + 15_000_000}"})
    print("ok", flush=True)
sim.stop()
"""


class Simulator:
    def __init__(self):
        self.child = subprocess.Popen(
            [sys.executable, "-c", SIM_CODE],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.child.stdout.readline())

    def tick(self):
        self.child.stdin.write("tick\n")
        self.child.stdin.flush()
        self.child.stdout.readline()

    def stop(self):
        self.child.stdin.close()
        self.child.wait(timeout=10)


def seed(site_index: int, residents: int, port: int):
    from django.utils import timezone

    from accounts.models import Block, Device, Room, User
    from quota.models import QuotaBalance
    from routers.models import Router
    from sites.models import Site

    site = Site.objects.create(
        name=f"Lapas {site_index}",
        code=f"L{site_index}",
        time_zone="Asia/Makassar",
        client_cidrs="10.0.0.0/8",
    )
    router = Router.objects.create(
        site=site, name=f"r{site_index}", host="127.0.0.1", port=port, username="bench", password="bench"
    )
    room = Room.objects.create(block=Block.objects.create(site=site, name="A"), name="1")
    users = User.objects.bulk_create(
        User(
            phone=f"+6281{site_index:02d}{n:07d}",
            full_name=f"Warga {n}",
            room=room,
            block=room.block,
            approval_status=User.Approval.APPROVED,
        )
        for n in range(residents)
    )
    expires = timezone.now() + timedelta(days=30)
    QuotaBalance.objects.bulk_create(
        QuotaBalance(user=user, purchased_bytes=50 * 1024**3, used_bytes=0, expires_at=expires)
        for user in users
    )
    devices = []
    for n, user in enumerate(users):
        for d in range(DEVICES):
            i = n * DEVICES + d
            mac = ":".join(f"{b:02X}" for b in (0xAC, 0xDE, site_index, i >> 16 & 255, i >> 8 & 255, i & 255))
            devices.append(Device(user=user, mac=mac, last_ip=f"10.{site_index}.{i >> 8 & 255}.{i & 255}"))
    Device.objects.bulk_create(devices, batch_size=5000)
    return router


def _run_task(args):
    name, router_id = args
    from quota import tasks

    started = time.perf_counter()
    summary = getattr(tasks, name)(router_id)
    return router_id, time.perf_counter() - started, summary


def fan_out(task: str, router_ids, workers: int):
    """One task per router over `workers` processes, as django-q2's workers take them from the queue."""
    from django.db import connections

    connections.close_all()  # each worker process opens its own connection
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_run_task, [(task, router_id) for router_id in router_ids], chunksize=1)
    return time.perf_counter() - started, results


def blackhole():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from quota.metering.cycles import usage_cycle
    from quota.router_state import full_reconcile
    from routers.models import Router

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"bench_sites_{os.getpid()}"  # not the test suite's database
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    sims, dead = [], None
    try:
        started = time.perf_counter()
        sims = [Simulator() for i in range(SITES)]
        small_sim = Simulator()
        routers = [seed(i + 1, RESIDENTS, sim.port) for i, sim in enumerate(sims)]
        small = seed(SITES + 1, SMALL, small_sim.port)
        ids = [router.pk for router in routers]
        print(
            f"{SITES} sites x {RESIDENTS} residents x {DEVICES} devices, one simulator process per router; "
            f"seeded in {time.perf_counter() - started:.1f} s"
        )
        for workers in (1, 2):
            if workers == 2:  # start again from empty routers
                for sim in sims:
                    sim.stop()
                sims = [Simulator() for i in range(SITES)]
                for router, sim in zip(routers, sims, strict=True):
                    Router.objects.filter(pk=router.pk).update(port=sim.port)
            first, results = fan_out("router_reconcile_one_task", ids, workers)
            failed = [summary for _, _, summary in results if "FAILED" in summary]
            converged, results = fan_out("router_reconcile_one_task", ids, workers)
            writes = sum(int(summary.split(" added")[0].split(": ")[-1]) for _, _, summary in results)
            fan_out("usage_cycle_router_task", ids, workers)  # first samples
            for sim in sims:
                sim.tick()
            cycle, results = fan_out("usage_cycle_router_task", ids, workers)
            counted = sum(int(summary.split("ledger entries ")[1].split(" ")[0]) for _, _, summary in results)
            print(
                f"{workers} worker(s): full reconcile from empty {first:.2f} s (failed: {len(failed)}); "
                f"converged run {converged:.2f} s, {writes} added [target <= 3 s with 2 workers]; "
                f"usage cycle {cycle:.2f} s, {counted} ledger entries [target <= 3 s]"
            )
        dead = blackhole()
        dead_router = Router.objects.create(
            site=routers[0].site, name="dead", host="127.0.0.1", port=dead.getsockname()[1],
            username="bench", password="bench",
        )  # fmt: skip
        with_dead, results = fan_out("router_reconcile_one_task", [dead_router.pk, *ids], 2)
        per_router = {router_id: seconds for router_id, seconds, _ in results}
        print(
            f"converged run with an 11th router blackholed (timeout {settings.MIKROTIK_TIMEOUT_S:g} s), "
            f"2 workers: {with_dead:.2f} s; the dead router's own task {per_router[dead_router.pk]:.2f} s "
            f"[target: adds no more than its timeout]"
        )
        Router.objects.filter(pk=dead_router.pk).delete()
        counts = {}
        full_reconcile(small)  # the small site's router gets its queues too
        first_router = Router.objects.get(pk=routers[0].pk)  # its simulator was restarted on a new port
        for label, router, sim in (("1,000", first_router, sims[0]), ("100", small, small_sim)):
            usage_cycle(router=router)
            sim.tick()
            with CaptureQueriesContext(connection) as queries:
                usage_cycle(router=router)
            counts[label] = len(queries)
        print(
            f"SQL statements per usage cycle of one router: {counts['1,000']} at 1,000 residents, "
            f"{counts['100']} at 100 [target: the same]"
        )
        small_sim.stop()
    finally:
        for sim in sims:
            sim.stop()
        if dead is not None:
            dead.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
