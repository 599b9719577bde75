"""A resident buys a package in headless Chromium: the package page, the (fake) Midtrans payment page, and
back to the status page saying "Lunas" with the new quota. Screenshots go to artifacts/screenshots/."""

import pytest

from core.testing.browser import page_open, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    screenshot(page, f"billing-{name}")


def test_a_resident_buys_a_package_pays_on_midtrans_and_sees_it_paid(
    browser, live_server, midtrans_fake, make_user, client, settings
):
    from billing.models import Package, Transaction
    from core.units import GIB
    from quota.models import QuotaBalance, QuotaEntry

    settings.PUBLIC_BASE_URL = live_server.url
    midtrans_fake.notification_url = f"{live_server.url}/billing/midtrans/notification/"
    package = Package.objects.create(name="Paket 10 GB", price=50000, quota_bytes=10 * GIB, validity_days=30)
    resident = make_user(quota_bytes=GIB, full_name="Siti Aminah")
    client.force_login(resident)
    page = page_open(browser, width=360, height=740)
    page.set_default_timeout(10_000)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"{live_server.url}/billing/")
    offer = page.locator(".card", has_text="Paket 10 GB")
    assert offer.locator(".price").inner_text() == "Rp 50.000"
    assert "10,00 GB" in offer.inner_text() and "berlaku 30 hari" in offer.inner_text()
    shot(page, "1-packages")

    offer.locator("button[type=submit]").click()
    page.wait_for_url(f"{midtrans_fake.base_url}/snap/v2/vtweb/*")
    assert "Midtrans" in page.inner_text("h1")
    shot(page, "2-midtrans")

    page.click("button[value=settlement]")
    page.wait_for_url(f"{live_server.url}/billing/order/**")
    assert "Lunas" in page.inner_text(".big.ok")
    assert page.inner_text("#remaining") == "11,00 GB"  # 1 GB before + the 10 GB package
    shot(page, "3-lunas")
    page.context.close()

    tx = Transaction.objects.get(user=resident)
    assert tx.status == Transaction.Status.PAID and tx.package == package and tx.amount == 50000
    assert QuotaEntry.objects.filter(user=resident, kind=QuotaEntry.Kind.PURCHASE).count() == 1
    assert QuotaBalance.objects.get(user=resident).remaining_bytes == 11 * GIB
