"""With REDIS_URL the task queue is Redis, so workers on several machines share one queue; the database
broker stays the default without it (the demo) and on request."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SHOW_BROKER = (
    "import django; django.setup(); from django_q.brokers import get_broker; "
    "print(type(get_broker()).__module__)"
)

ENQUEUE = (
    "import django, sys; django.setup(); from django_q.brokers import get_broker; "
    "get_broker(list_key=sys.argv[1]).enqueue('payload-' + sys.argv[1])"
)

DEQUEUE = (
    "import django, sys; django.setup(); from django_q.brokers import get_broker; "
    "broker = get_broker(list_key=sys.argv[1]); got = broker.dequeue(); "
    "[broker.acknowledge(task_id) for task_id, _ in got or []]; "
    "print([payload.decode() for _, payload in got or []]); broker.delete_queue()"
)


def _python(code, *args, **env):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "lpsaring.settings",
        "DEBUG": "1",
        "DATABASE_URL": "sqlite:///:memory:",  # the broker choice needs no data
    }
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, broker",
    [
        ({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "django_q.brokers.redis_broker"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/1", "Q_BROKER": "orm"}, "django_q.brokers.orm"),
        ({}, "django_q.brokers.orm"),
    ],
)
def test_the_broker_follows_redis_url(env, broker):
    result = _python(SHOW_BROKER, **env)
    assert result.stdout.strip() == broker, result.stderr


def test_a_task_queued_by_one_process_is_taken_by_another_through_redis():
    key = f"lps-test-{uuid.uuid4().hex[:8]}"
    env = {"REDIS_URL": "redis://127.0.0.1:6379/1"}
    assert _python(ENQUEUE, key, **env).returncode == 0
    taken = _python(DEQUEUE, key, **env)
    assert taken.stdout.strip() == f"['payload-{key}']", taken.stderr


def test_a_redis_broker_without_redis_url_is_refused():
    result = _python(SHOW_BROKER, Q_BROKER="redis")
    assert result.returncode != 0 and "Q_BROKER=redis needs REDIS_URL" in result.stderr
