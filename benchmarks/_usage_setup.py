"""Shared set-up of the usage benchmarks: test environment, a throw-away database, Django."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import core.testing.pytest_env  # noqa: F401 - the test environment defaults

_base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lpsaring")
os.environ["DATABASE_URL"] = _base.rsplit("/", 1)[0] + "/lps_bench_usage"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lpsaring.settings")

import django  # noqa: E402

django.setup()
