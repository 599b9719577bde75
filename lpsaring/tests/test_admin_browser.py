"""Staff in headless Chromium: log in with phone and password, approve a registration and a Komandan
request through their confirmation pages, and keep screenshots of the dashboard and the resident page
(artifacts/screenshots/, git-ignored)."""

import pytest

from core.testing.browser import SCREENSHOTS, page_open, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Staf-Rahasia-2026"


def shot(page, name):
    screenshot(page, f"admin-{name}")


def confirm_action(page):
    """On a confirmation page: see the preview (filling nothing), then say yes."""
    page.wait_for_selector("#lps-confirm")
    page.click("input[name=_lps_confirm]")
    page.wait_for_selector(".messagelist .success")


def _history(resident):
    """A month of usage and a few payments, so the dashboard charts have something to draw."""
    from datetime import timedelta

    from django.utils import timezone

    from billing.models import Package, Transaction
    from core.units import MIB
    from quota.models import DailyUsage

    now = timezone.now()
    DailyUsage.objects.bulk_create(
        DailyUsage(
            user=resident, date=timezone.localdate(now) - timedelta(days=d), bytes=(200 + 37 * (d % 9)) * MIB
        )
        for d in range(30)
    )
    package = Package.objects.create(name="Paket 10 GB", price=25000, quota_bytes=10 * 1024**3)
    Transaction.objects.bulk_create(
        Transaction(
            order_id=f"BD-LPSR-DEMO{d}",
            user=resident,
            package=package,
            amount=25000,
            status=Transaction.Status.PAID,
            created_at=now - timedelta(days=d),
            paid_at=now - timedelta(days=d),
            expires_at=now,
        )
        for d in range(0, 30, 4)
    )


def test_staff_approve_a_registration_and_a_komandan_request(browser, live_server, make_user, settings):
    from accounts.models import Device, User
    from core.units import GIB, MIB
    from quota.komandan import quota_request_create
    from quota.models import QuotaBalance, QuotaRequest

    settings.INITIAL_QUOTA_BYTES = 500 * MIB
    settings.INITIAL_QUOTA_DAYS = 30
    settings.KOMANDAN_MAX_REQUEST_DAYS = 30
    make_user(role=User.Role.ADMIN, phone="+6281155500011", password=PASSWORD, full_name="Admin Piket")
    pending = make_user(approved=False, full_name="Budi Santoso")
    Device.objects.create(user=pending, mac="AA:BB:CC:DD:EE:01", label="HP Budi")
    komandan = make_user(role=User.Role.KOMANDAN, full_name="Komandan Joko", quota_bytes=GIB)
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=5 * GIB, requested_days=7
    )
    _history(komandan)

    page = page_open(browser, width=1280, height=900)
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "081155500011")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#lps-dashboard")
    assert page.inner_text("#lps-pending-registrations") == "1"
    assert page.inner_text("#lps-pending-requests") == "1"

    # The registration queue, then the resident's page and its approve button.
    page.click("a[href*='approval_status__exact=PENDING']")
    page.click(f"a[href*='/accounts/user/{pending.pk}/change/']")
    page.click(f"a[href$='/accounts/user/{pending.pk}/do/approve/']")
    confirm_action(page)
    pending.refresh_from_db()
    assert pending.approval_status == User.Approval.APPROVED
    assert QuotaBalance.objects.get(user=pending).remaining_bytes == 500 * MIB
    page.wait_for_selector("#lps-resident")
    assert "500,0 MB" in page.inner_text("#lps-resident")
    shot(page, "resident-change-page")

    # The Komandan request, approved as asked.
    page.goto(f"{live_server.url}/admin/quota/quotarequest/{request.pk}/change/")
    page.click(f"a[href$='/{request.pk}/do/request_approve/']")
    confirm_action(page)
    request.refresh_from_db()
    assert request.status == QuotaRequest.Status.APPROVED
    assert QuotaBalance.objects.get(user=komandan).remaining_bytes == 6 * GIB

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("#lps-dashboard svg")
    assert page.inner_text("#lps-pending-registrations") == "0"
    assert page.inner_text("#lps-pending-requests") == "0"
    shot(page, "dashboard")
    page.context.close()
    assert (SCREENSHOTS / "admin-dashboard.png").stat().st_size > 0
    assert (SCREENSHOTS / "admin-resident-change-page.png").stat().st_size > 0
