import os
import subprocess
import sys
from pathlib import Path

import pytest

from routers.models import Router

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_database_cache_and_routers_without_secrets(client):
    Router.objects.create(name="gerbang", host="10.9.9.9", username="api", password="very-secret-pass")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert [router["name"] for router in body["routers"]] == ["gerbang"]
    assert body["routers"][0]["ok"] is False  # never contacted yet
    assert "very-secret-pass" not in response.content.decode()
    assert "10.9.9.9" not in response.content.decode()


def test_health_answers_503_when_the_database_is_down():
    script = (
        "import django; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database']['ok'])"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "lpsaring.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=2",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["503", "False"], result.stderr[-2000:]
