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
    "TURNSTILE_SITE_KEY": "0x4AAAAAAAexample",
    "TURNSTILE_SECRET_KEY": "0x4AAAAAAAexample-secret",
    "TURNSTILE_HOSTNAMES": "wifi.example.org",
    "WHATSAPP_BACKEND": "fonnte",
    "FONNTE_TOKEN": "token-from-fonnte",
    "MIDTRANS_SERVER_KEY": "Mid-server-example",
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


@pytest.mark.parametrize(
    ("override", "check_id"),
    [
        ({"TURNSTILE_SECRET_KEY": "1x0000000000000000000000000000000AA"}, "lpsaring.E001"),
        ({"WHATSAPP_BACKEND": "console"}, "lpsaring.E002"),
        ({"FONNTE_TOKEN": ""}, "lpsaring.E003"),
        ({"MIDTRANS_SERVER_KEY": ""}, "lpsaring.E004"),
        ({"TURNSTILE_HOSTNAMES": ""}, "lpsaring.W001"),
    ],
)
def test_check_deploy_refuses_demo_integrations(override, check_id):
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(60), **override}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert check_id in result.stderr
