"""Every resident page at 360×640 in headless Chromium, as a cheap phone shows it: signed out, signed in, in
each quota status, with a pending payment. Each page must not overflow sideways, nothing may cover the
heading or the navigation, the current tab is marked, no English word from the list and no doubled word
shows, axe-core finds no serious or critical violation, and HTML with its CSS stays under 30 KB with no
request leaving the machine. Screenshots go to artifacts/screenshots/pages-*.png (git-ignored).

One browser for the module; one context per resident, its page reused from page to page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.testing.browser import (
    accessibility_problems,
    browser_launch,
    language_problems,
    layout_problems,
    page_open,
    screenshot,
    sign_in,
)
from core.units import GIB, MIB
from portal.tests.conftest import demo_ip, demo_mac

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 360, 640
MAX_PAGE_BYTES = 30 * 1024


@pytest.fixture(scope="module")
def phone_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = browser_launch(playwright)
        yield browser
        browser.close()


class Visitor:
    """One phone: a browser context, its page, and the requests it tried to send elsewhere."""

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.page = page_open(browser, width=WIDTH, height=HEIGHT)
        self.page.set_default_timeout(10_000)
        self.outside = []
        self.page.on("request", self._seen)

    def _seen(self, request):
        if not request.url.startswith(self.base_url) and not request.url.startswith("data:"):
            self.outside.append(request.url)

    def open(self, path, name, *, status=200, tab=None):
        response = self.page.goto(self.base_url + path)
        self.check(name, status=status, tab=tab, response=response)

    def check(self, name, *, status=200, tab=None, response=None):
        page = self.page
        problems = []
        if response is not None:
            if response.status != status:
                problems.append(f"status {response.status}, expected {status}")
            size = len(response.body())
            if size > MAX_PAGE_BYTES:
                problems.append(f"{size} bytes of HTML and CSS")
        problems += layout_problems(page, heading="h1", navs=("nav.tabs",))
        current = page.locator("nav.tabs a[aria-current=page]")
        if tab is not None:
            if current.count() != 1 or current.get_attribute("id") != f"nav-{tab}":
                problems.append(f"the {tab} tab is not marked as the current page")
            if page.locator("nav.tabs").evaluate("n => n.getBoundingClientRect().height") > 48:
                problems.append("the navigation takes more than one line")
        problems += language_problems(page.inner_text("body"))
        problems += accessibility_problems(page)
        if self.outside:
            problems.append(f"requests outside the machine: {self.outside}")
        screenshot(page, f"pages-{name}")
        assert problems == [], f"{name}: {problems}"


def test_signed_out_pages(phone_browser, live_server, router_sim, turnstile, settings):
    settings.OTP_RATE_PER_PHONE = "1/15m"
    visitor = Visitor(phone_browser, live_server.url)
    visitor.open(
        f"/captive/?ip={demo_ip(3)}&mac={demo_mac(3)}&link-login-only=http://login.home.arpa/login", "portal"
    )
    visitor.open("/captive/daftar/", "register")
    visitor.page.click("#register-form button[type=submit]")  # empty: every field says what is missing
    visitor.check("register-errors")
    visitor.open("/captive/daftar/menunggu/", "waiting")
    visitor.open("/captive/masuk/", "phone")
    visitor.page.fill("#id_phone", "081277700011")
    visitor.page.click("#phone-form button[type=submit]")
    visitor.page.wait_for_selector("#code-form")
    visitor.check("code")
    visitor.open("/captive/masuk/", "phone-again")
    visitor.page.fill("#id_phone", "081277700011")
    visitor.page.click("#phone-form button[type=submit]")
    visitor.page.wait_for_selector("#error-page")
    visitor.check("429")
    assert "15 menit" in visitor.page.inner_text("#error-page")
    visitor.open("/tidak-ada/", "404", status=404)
    visitor.open("/akun/buka/palsu/", "link-refused", status=403)
    visitor.page.goto(live_server.url + "/")
    assert visitor.page.url.startswith(live_server.url + "/captive/")


def _history(user, days=45):
    """Usage every minute for the last hours, daily usage for `days` days, and purchases between."""
    from quota.models import DailyUsage, QuotaEntry
    from quota.services import quota_grant

    now = timezone.now()
    QuotaEntry.objects.bulk_create(
        QuotaEntry(
            user=user,
            kind=QuotaEntry.Kind.USAGE,
            amount_bytes=-(421188 + 1000 * i),
            idempotency_key=f"use:{user.pk}:{i}",
            created_at=now - timedelta(hours=i * 7),
        )
        for i in range(days * 24 // 7)
    )
    QuotaEntry.objects.create(  # a day alone with less than a megabyte: shown in KB
        user=user,
        kind=QuotaEntry.Kind.USAGE,
        amount_bytes=-421188,
        idempotency_key=f"use:{user.pk}:small",
        created_at=now - timedelta(days=days + 3),
    )
    DailyUsage.objects.bulk_create(
        DailyUsage(
            user=user, date=timezone.localdate(now) - timedelta(days=d), bytes=(50 + 37 * (d % 9)) * MIB
        )
        for d in range(30)
    )
    quota_grant(user=user, amount_bytes=5 * GIB, days=30, idempotency_key=f"buy:{user.pk}")
    QuotaEntry.objects.create(
        user=user,
        kind=QuotaEntry.Kind.ADJUST,
        amount_bytes=-300 * MIB,
        idempotency_key=f"adjust:{user.pk}",
        reason="Koreksi pemakaian ganda",
    )


def test_signed_in_pages_with_a_pending_payment(
    phone_browser, live_server, make_user, midtrans_fake, package
):
    from accounts.models import Device
    from billing.links import order_status_url
    from billing.services import transaction_start

    resident = make_user(full_name="Siti Rahmawati", quota_bytes=3 * GIB)
    device = Device.objects.create(user=resident, mac=demo_mac(4), label="HP Siti", last_ip=demo_ip(4))
    _history(resident)
    tx = transaction_start(user=resident, package=package)
    visitor = Visitor(phone_browser, live_server.url)
    sign_in(visitor.page.context, live_server.url, resident)
    visitor.open("/akun/", "home", tab="home")
    assert visitor.page.locator("#usage-chart svg rect").count() == 30
    assert "hari lagi" in visitor.page.inner_text("#expiry")
    visitor.open("/akun/perangkat/", "devices", tab="devices")
    visitor.open(f"/akun/perangkat/{device.pk}/ubah/", "device-edit", tab="devices")
    visitor.open("/akun/riwayat/", "history", tab="history")
    text = visitor.page.inner_text("#history")
    assert "Koreksi pemakaian ganda" in text and "Pemakaian" in text
    assert visitor.page.locator("a[rel=next]").count() == 1  # older days are on the next page
    visitor.page.click("a[rel=next]")
    visitor.check("history-2", tab="history")
    assert "−411,3 KB" in visitor.page.inner_text("#history")
    visitor.open("/billing/", "packages", tab="home")
    visitor.open(order_status_url(tx.order_id), "order-pending", tab="home")
    visitor.open("/komandan/", "not-komandan", status=403, tab=None)
    visitor.page.goto(live_server.url + "/")
    assert visitor.page.url == live_server.url + "/akun/"


@pytest.mark.parametrize("status", ["fup", "habis", "expired", "blocked", "unlimited", "komandan"])
def test_pages_in_each_quota_status(phone_browser, live_server, make_user, status):
    from accounts.models import User
    from quota.models import QuotaBalance

    settings_quota = {
        "fup": 50 * MIB,
        "habis": 0,
        "expired": GIB,
        "blocked": GIB,
        "unlimited": 0,
        "komandan": GIB,
    }
    user = make_user(
        quota_bytes=settings_quota[status] or (GIB if status == "habis" else 0),
        unlimited=status == "unlimited",
        role=User.Role.KOMANDAN if status == "komandan" else User.Role.USER,
    )
    if status == "habis":
        QuotaBalance.objects.filter(user=user).update(used_bytes=GIB)
    if status == "expired":
        QuotaBalance.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(days=1))
    if status == "blocked":
        User.objects.filter(pk=user.pk).update(is_blocked=True, blocked_reason="Melanggar aturan")
    visitor = Visitor(phone_browser, live_server.url)
    sign_in(visitor.page.context, live_server.url, user)
    visitor.open("/akun/", f"home-{status}", tab="home")
    visitor.open("/captive/status/", f"status-{status}")
    if status == "komandan":
        visitor.open("/komandan/", "komandan", tab="komandan")
        visitor.page.fill("#id_amount", "")
        visitor.page.click("#komandan-submit")
        visitor.page.wait_for_selector(".errorlist")
        visitor.check("komandan-errors", tab="komandan")
        assert visitor.page.locator("text=Isi jumlah kuota.").count() <= 1


def test_the_debt_page_and_a_receipt(phone_browser, live_server, make_user, midtrans_fake, package):
    from billing.links import receipt_url
    from quota.debt import debt_grant, debt_settle_cash

    resident = make_user(full_name="Rahmat Hidayatullah Siregar", quota_bytes=GIB)
    debt_grant(user=resident, amount_bytes=2 * GIB, price_rp=40000, actor=None, note="Kuota darurat")
    paid = debt_grant(user=resident, amount_bytes=GIB, price_rp=20000, actor=None, note="Kuota kunjungan")
    invoice = debt_settle_cash(user=resident, actor=resident, item_id=paid.pk, amount_rp=20000)
    visitor = Visitor(phone_browser, live_server.url)
    sign_in(visitor.page.context, live_server.url, resident)
    visitor.open("/billing/utang/", "debt", tab="home")
    assert "Rp 40.000" in visitor.page.inner_text("#debt")
    visitor.open(receipt_url(invoice.number), "receipt")
    text = visitor.page.inner_text("body")
    assert invoice.number in text and "Rp 20.000" in text and "Rahmat Hidayatullah Siregar" in text
    assert " WITA" in text  # the time in the site's zone, written as everywhere else
