"""The django-q2 cluster stops within seconds on SIGTERM and the task it was running runs once in total.

A real `manage.py qcluster` runs against the test database (ORM broker); the task waits until the test
releases it, so the first cluster is always stopped in the middle of it.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django_q.brokers.redis_broker import Redis
from django_q.models import OrmQ, Task
from django_q.tasks import async_task

BASE_DIR = Path(settings.BASE_DIR)
STOP_BOUND_S = 10  # the process manager allows 5 s; generous here, the measured figure is printed


def _cluster_env(log_dir: Path, broker: str) -> dict:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "Q_SYNC": "0",
        "Q_LOG_LEVEL": "INFO",
        "Q_WORKERS": "2",
        "Q_BROKER": broker,
        # A queue of its own on a shared Redis; the database queue is this test database's already.
        **({"Q_QUEUE": log_dir.name} if broker == "redis" else {}),
    }


def _enqueue(func, arg, *, broker: str, queue: str):
    """Queue the task where that cluster reads: its Redis list, or the database queue."""
    if broker == "redis":
        broker = Redis(list_key=queue)
        broker.connection = redis.Redis.from_url(
            os.environ["REDIS_URL"]
        )  # where the cluster's settings point
        return async_task(func, arg, sync=False, broker=broker)
    async_task(func, arg, sync=False)
    # Due at once for the cluster, which runs on the real clock while this run may have moved its own.
    OrmQ.objects.update(lock=datetime(2000, 1, 1, tzinfo=UTC))


def _start(env, log_path: Path):
    log = log_path.open("ab")
    # A session of its own, so the test can signal the whole cluster and see that all of it is gone.
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(condition, what: str, log_path: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; cluster log:\n{log_path.read_text()}")
        time.sleep(0.1)


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop(process, *, whole_group: bool, log_path: Path) -> float:
    started = time.monotonic()
    if whole_group:  # as systemd's default KillMode=control-group does
        os.killpg(process.pid, signal.SIGTERM)
    else:  # the main process only, as honcho, Docker or KillMode=mixed do
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"the cluster did not stop within {STOP_BOUND_S} s of SIGTERM; log:\n{log_path.read_text()}"
        ) from None
    _wait_for(lambda: not _group_alive(process.pid), "every cluster process to exit", log_path, 5)
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "whole_group, broker",
    [(False, "orm"), (True, "orm"), (True, "redis")],
    ids=["main-process", "whole-group", "whole-group-redis"],
)
def test_sigterm_stops_the_cluster_within_seconds_and_the_task_runs_once(tmp_path, whole_group, broker):
    env, log_path = _cluster_env(tmp_path, broker), tmp_path / "cluster.log"
    _enqueue(
        "lpsaring.tests.worker_tasks.wait_for_release", str(tmp_path), broker=broker, queue=tmp_path.name
    )
    first = _start(env, log_path)
    try:
        _wait_for(lambda: _lines(tmp_path / "starts") == 1, "the task to start", log_path)
        elapsed = _stop(first, whole_group=whole_group, log_path=log_path)
    finally:
        if _group_alive(first.pid):
            os.killpg(first.pid, signal.SIGKILL)
    print(
        f"cluster stopped {elapsed:.2f} s after SIGTERM ({'whole group' if whole_group else 'main process'})"
    )
    assert _lines(tmp_path / "finishes") == 0

    (tmp_path / "release").touch()
    second = _start(env, log_path)
    try:
        # At once, not after Q_CLUSTER["retry"]: the interrupted task was put back at the head of the queue.
        _wait_for(lambda: Task.objects.filter(success=True).exists(), "the task to succeed", log_path, 30)
        _stop(second, whole_group=whole_group, log_path=log_path)
    finally:
        if _group_alive(second.pid):
            os.killpg(second.pid, signal.SIGKILL)
    assert (_lines(tmp_path / "starts"), _lines(tmp_path / "finishes")) == (2, 1)
    assert not OrmQ.objects.exists()
