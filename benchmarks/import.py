"""Import benchmark: a Flask-shaped database with 2,000 residents, 5,000 devices and 20,000 transactions
(lpsaring/takeover/flask_fixture.py) imported by `import_lpsaring`, then imported again (nothing new).

Prints the fixture build time, the import time (target ≤ 60 s), the rerun time and the peak memory of this
process. The router takeover (`router_sync --adopt-lpsaring`, target ≤ 30 s) is not built yet.
Uses throw-away databases on DATABASE_URL's server (PostgreSQL).

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
    from django.db import connection
    from django.test.utils import setup_test_environment

    from lpsaring.takeover import flask_fixture
    from lpsaring.takeover.service import lpsaring_import
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
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
