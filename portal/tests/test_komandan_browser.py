"""A Komandan on a phone screen (360 px wide, headless Chromium): finds the request page from the resident
pages, asks for quota, and reads the answers in Indonesian. Screenshot: artifacts/screenshots/."""

import pytest

from core.testing.browser import page_open, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_komandan_requests_quota_on_a_phone(browser, live_server, make_user, settings):
    from django.test import Client

    from accounts.models import User
    from core.units import GIB
    from quota.models import QuotaRequest

    settings.KOMANDAN_MAX_REQUEST_BYTES = 50 * GIB
    settings.KOMANDAN_MAX_REQUEST_DAYS = 30
    komandan = make_user(role=User.Role.KOMANDAN, quota_bytes=GIB, full_name="Komandan Joko")
    signed_in = Client()
    signed_in.force_login(komandan)

    page = page_open(browser, **PHONE)
    page.set_default_timeout(10_000)
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/akun/")
    page.click("#nav-komandan")  # the resident pages lead a Komandan to the request page
    page.wait_for_selector("#komandan-request")
    assert _fits_the_screen(page)

    # Each choice sits on one line with its radio button, not a button floating above its word.
    for choice in page.query_selector_all("#id_kind label"):
        radio = choice.query_selector("input").bounding_box()
        label = choice.bounding_box()
        assert radio["y"] >= label["y"] and radio["y"] + radio["height"] <= label["y"] + label["height"]
        assert label["height"] < 2.5 * radio["height"]

    page.fill("#id_amount", "60")
    page.fill("#id_days", "7")
    page.click("#komandan-submit")
    assert "Anda dapat meminta paling banyak 50,00 GB." in page.inner_text("#komandan-error")
    assert not QuotaRequest.objects.exists()

    page.fill("#id_amount", "5")
    page.click("#komandan-submit")
    page.wait_for_selector("#komandan-pending")
    assert "menunggu staf" in page.inner_text("#komandan-pending")
    assert "5,00 GB selama 7 hari" in page.inner_text("#komandan-history")
    assert _fits_the_screen(page)
    screenshot(page, "komandan-phone")
    page.context.close()
