"""A part down under a view: our 503 page, never a traceback or Django's debug page, DEBUG on or off."""

import pytest
from django.db import OperationalError

from portal.views import captive

pytestmark = [pytest.mark.django_db, pytest.mark.faults]


@pytest.mark.parametrize("debug", [False, True])
def test_a_database_error_in_a_view_answers_with_our_503_page(client, settings, monkeypatch, debug):
    settings.DEBUG = debug

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(captive.captive, "hotspot_context_check", database_gone)
    response = client.get("/captive/", {"ip": "172.16.2.115"})
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "Layanan sedang gangguan, coba lagi dalam beberapa menit" in body
    assert "Traceback" not in body and "server closed" not in body
