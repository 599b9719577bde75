"""Production refuses an unsafe configuration; a proper production environment passes check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "wifi.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lpsaring",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    "secret",
    [None, "demo-insecure-secret-key-change-me", "short-secret", "a" * 60],
    ids=["unset", "demo", "short", "one-char"],
)
def test_production_refuses_to_start_with_a_default_or_weak_secret(secret):
    env = dict(PRODUCTION)
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert secret is None or secret not in result.stderr


def test_check_deploy_is_clean_in_a_production_environment():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(60), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_demo_starts_with_debug_and_the_default_secret():
    result = _manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
