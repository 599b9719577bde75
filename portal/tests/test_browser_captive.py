"""The whole captive journey in headless Chromium against a live server, the simulator and the console
WhatsApp backend: registration, approval, code login, "Terhubung", the main-browser link, the devices page.

Screenshots of each page go to artifacts/screenshots/ (git-ignored).
"""

import re

import pytest

from core.testing.browser import page_open, screenshot
from portal.tests.conftest import demo_ip, demo_mac

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_LOCAL = "081277788899"
PHONE = "+6281277788899"


def new_page(browser):
    # Nothing may leave the machine; the dummy site key renders no external script anyway.
    return page_open(browser, width=360, height=740)


def shot(page, name):
    screenshot(page, f"captive-{name}")


def test_a_resident_registers_is_approved_logs_in_and_opens_the_main_browser(
    browser, live_server, router_sim, turnstile, settings, capsys, room, staff
):
    from accounts.models import Device, User
    from core.units import GIB
    from quota.residents import user_approve
    from quota.services import quota_grant

    settings.WHATSAPP_BACKEND = "console"
    settings.PUBLIC_BASE_URL = live_server.url
    page = new_page(browser)
    entry = f"{live_server.url}/captive/?ip={demo_ip(15)}&mac={demo_mac(15)}&link-login-only=http://login.home.arpa/login"
    page.goto(entry)
    assert page.locator("#go-login").is_visible()
    shot(page, "1-portal")

    page.click("#go-register")
    page.fill("#id_phone", PHONE_LOCAL)
    page.fill("#id_full_name", "Budi Santoso")
    page.select_option("#id_room", label=str(room))
    shot(page, "2-register")
    page.click("#register-form button[type=submit]")
    page.wait_for_selector("#waiting")
    shot(page, "3-waiting")

    user = User.objects.get(phone=PHONE)
    user_approve(user=user, actor=staff)
    quota_grant(user=user, amount_bytes=3 * GIB, days=30, idempotency_key="browser-test", actor=staff)

    page.click("#waiting a.btn")
    page.fill("#id_phone", PHONE_LOCAL)
    shot(page, "4-phone")
    page.click("#phone-form button[type=submit]")
    page.wait_for_selector("#code-form")
    printed = capsys.readouterr().out
    code = re.findall(rf"=== WhatsApp to {re.escape(PHONE)} ===\n.*?\b(\d{{6}})\b", printed)[-1]
    page.fill("#id_code", code)
    shot(page, "5-code")
    page.click("#code-form button[type=submit]")
    page.wait_for_selector("#connected")
    assert "Terhubung" in page.inner_text("#connected")
    assert "3" in page.inner_text("#remaining")
    shot(page, "6-terhubung")

    bindings = router_sim.menu("/ip/hotspot/ip-binding").rows()
    assert any(row["mac-address"] == demo_mac(15) and row.get("type") == "bypassed" for row in bindings)
    assert Device.objects.get(user=user).mac == demo_mac(15)

    link = page.get_attribute("#main-browser-link", "href")
    main_browser = new_page(browser)
    main_browser.goto(link)
    main_browser.wait_for_selector("#resident-home")
    assert "Budi Santoso" in main_browser.inner_text("#resident-home")
    shot(main_browser, "7-main-browser")
    main_browser.click("#nav-devices")
    main_browser.wait_for_selector("#devices")
    assert demo_mac(15) in main_browser.inner_text("#devices")
    shot(main_browser, "8-devices")

    used_again = new_page(browser)
    used_again.goto(link)
    assert used_again.locator("#refused").is_visible()
