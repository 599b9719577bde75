"""One usage cycle with 2,000 residents against the RouterOS simulator over TCP: time and SQL statements.

Every resident has a queue that carried traffic since the last cycle, so every resident gets a ledger
entry, a balance update and a daily-usage upsert. Target: <= 2 s; the SQL count does not depend on N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/usage_cycle.py
"""

import os
import statistics
import time
from datetime import timedelta

import _usage_setup  # noqa: F401 - Django on a throw-away database
from _bench import simulated_router
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

USERS = int(os.environ.get("BENCH_USERS", 2000))
ROUNDS = 3


def main():
    from quota.metering.apply import snapshots_apply
    from quota.metering.cycles import usage_cycle
    from quota.metering.read import snapshots_read
    from quota.tests.usage_bulk import bulk_residents, plant_traffic

    with simulated_router() as sim:
        user_ids = bulk_residents(sim, USERS)
        start = timezone.now()
        clock = lambda: start + timedelta(seconds=sim.now())  # noqa: E731
        usage_cycle(now=clock)  # first sight of every queue
        totals, reads, applies, queries, commands = [], [], [], [], []
        for _ in range(ROUNDS):
            plant_traffic(sim, user_ids, 5_000_000)
            sim.advance(60)
            sim.clear_log()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                snapshots, failed = snapshots_read(with_hosts=True, now=clock)
                read = time.perf_counter()
                report = snapshots_apply(snapshots, now=clock())
                done = time.perf_counter()
            assert not failed and report.entries == USERS, report.summary()
            totals.append(done - began)
            reads.append(read - began)
            applies.append(done - read)
            queries.append(len(captured))
            commands.append(len([e for e in sim.log if e.command != "/login"]))
        print(
            f"usage cycle, {USERS} residents with traffic, one router (simulator over TCP), {ROUNDS} rounds"
        )
        print(f"  cycle time     median {statistics.median(totals):.3f} s (target <= 2 s)")
        print(f"    router read  median {statistics.median(reads):.3f} s")
        print(f"    database     median {statistics.median(applies):.3f} s")
        print(f"  SQL statements {queries} per cycle (independent of the number of residents)")
        print(f"  router commands {commands[0]} per cycle")


if __name__ == "__main__":
    main()
