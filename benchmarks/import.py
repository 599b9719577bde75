"""Import benchmark: a Flask-shaped database with 2,000 residents, 5,000 devices and 20,000 transactions
(lpsaring/takeover/flask_fixture.py) imported by `import_lpsaring`, then imported again (nothing new).

Prints the fixture build time, the import time (target ≤ 60 s), the rerun time and the peak memory of this
process; then the router takeover (`router_sync --adopt-lpsaring`, target ≤ 30 s) of one RouterOS simulator
preloaded with the Flask deployment's entries for those residents (lpsaring/takeover/flask_router.py), its
write commands, and a second takeover (0 writes). Uses throw-away databases on DATABASE_URL's server
(PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lpsaring .venv/bin/python benchmarks/import.py
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-" + "x" * 50)


def main() -> None:
    import django

    django.setup()
    import time_machine
    from django.db import connection
    from django.test.utils import setup_test_environment

    from lpsaring.takeover import flask_fixture
    from lpsaring.takeover.flask_router import flask_router_plant
    from lpsaring.takeover.service import lpsaring_import
    from quota.adoption import router_adopt
    from routeros_sim import RouterSimulator
    from routers.models import Router
    from sites.models import Site

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with flask_fixture.flask_database() as url:
            start = time.perf_counter()
            filled = flask_fixture.fill(url)
            print(
                f"fixture: {filled.users} users, {filled.devices} devices, {filled.transactions} transactions"
                f" in {time.perf_counter() - start:.1f} s"
            )
            start = time.perf_counter()
            report = lpsaring_import(source_url=url, site=Site.objects.default())
            print(
                f"import: {time.perf_counter() - start:.1f} s (target ≤ 60 s);"
                f" rejected {len(report.rejected)};"
                f" remaining bytes equal: {report.balanced}"
            )
            start = time.perf_counter()
            again = lpsaring_import(source_url=url, site=Site.objects.default())
            print(f"rerun: {time.perf_counter() - start:.1f} s, imported {sum(again.imported.values())}")
        with (
            RouterSimulator("bench", "bench-pass") as sim,
            time_machine.travel(flask_fixture.NOW, tick=False),
        ):
            planted = flask_router_plant(sim)
            router = Router.objects.create(
                name="bench", host="127.0.0.1", port=sim.port, username="bench", password="bench-pass"
            )
            start = time.perf_counter()
            adopted = router_adopt(router)
            elapsed = time.perf_counter() - start
            print(
                f"takeover: {elapsed:.1f} s (target ≤ 30 s) for {planted.entries} Flask entries;"
                f" {adopted.summary()}"
            )
            sim.clear_log()
            start = time.perf_counter()
            second = router_adopt(router)
            print(f"second takeover: {time.perf_counter() - start:.1f} s, {len(sim.writes())} write(s)")
            assert adopted.ok and second.ok and not sim.writes()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
