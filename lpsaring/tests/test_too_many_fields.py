"""A request with more fields than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS) is a plain 400 page in
every mode: with DEBUG on it was a 500, because the debug page itself re-read the oversized query."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FIELDS = "&".join(f"f{i}=x" for i in range(1200))


@pytest.mark.parametrize("debug", [False, True])
def test_more_than_a_thousand_query_parameters_get_the_indonesian_400_page(settings, debug):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get(f"/captive/?ip=172.16.2.10&{FIELDS}")
    text = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak dapat dipahami. Kembali lalu coba lagi." in text
    assert "Traceback" not in text and "TooManyFieldsSent" not in text


@pytest.mark.parametrize("debug", [False, True])
def test_more_than_a_thousand_form_fields_get_the_indonesian_400_page(settings, debug):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).post(
        "/admin/login/", FIELDS, content_type="application/x-www-form-urlencoded"
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak dapat dipahami. Kembali lalu coba lagi." in text
    assert "Traceback" not in text and "TooManyFieldsSent" not in text
