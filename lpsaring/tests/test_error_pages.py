"""Errors reach people as short Indonesian pages, never as a traceback or internal detail."""

import pytest
from django.test import Client
from django.urls import path

from lpsaring.urls import urlpatterns as project_urls


def _explode(request):
    raise RuntimeError("secret internal detail: password=hunter2")


urlpatterns = [*project_urls, path("explode/", _explode)]


@pytest.mark.django_db
@pytest.mark.urls("lpsaring.tests.test_error_pages")
def test_a_server_error_shows_a_plain_indonesian_page_without_details(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/explode/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in text
    assert "secret internal detail" not in text and "Traceback" not in text and "hunter2" not in text


@pytest.mark.django_db
def test_an_unknown_page_is_a_plain_indonesian_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_an_indonesian_page_with_a_way_back():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/captive/masuk/", {"phone": "081234567890"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "Halaman sudah kedaluwarsa" in text and 'href="/"' in text  # the way back: login or own page
    assert "CSRF" not in text


@pytest.mark.django_db
def test_the_site_speaks_indonesian_whatever_the_browser_asks_for(client):
    """One language for pages and the WhatsApp texts built while serving them (a phone set to English
    must not get an English login code)."""
    response = client.get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Halaman tidak ditemukan" in response.content.decode()
