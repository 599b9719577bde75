"""Every admin changelist and change page at 1366×768, as staff open them on a laptop: no sideways
overflow, no list that cuts its columns off, nothing over the heading (object action buttons included) or
the header, no English word from the list, no doubled word. Screenshots go to
artifacts/screenshots/admin-pages-*.png (git-ignored).

One browser and one signed-in page for the whole module.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from core.testing.browser import (
    language_problems,
    layout_problems,
    page_open,
    screenshot,
    sign_in,
)
from core.units import GIB, MIB

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data(make_user, staff):
    """One row of every model the admin lists, with long but realistic values."""
    from accounts.models import AuditEntry, Device, TampingType
    from accounts.services import user_block
    from billing.models import Package, Transaction, TransactionEvent
    from quota.komandan import quota_request_create
    from quota.models import CounterSample, DailyUsage
    from routers.models import Router

    resident = make_user(full_name="Muhammad Rizky Pratama Saputra", quota_bytes=5 * GIB)
    komandan = make_user(role="KOMANDAN", full_name="Komandan Bambang Sutrisno", quota_bytes=GIB)
    TampingType.objects.create(name="Tamping Dapur Umum")
    Device.objects.create(
        user=resident, mac="AC:DE:48:00:00:21", label="HP Samsung Galaxy A05", last_ip="172.16.2.121"
    )
    package = Package.objects.create(
        name="Paket Bulanan 30 GB", price=150000, quota_bytes=30 * GIB, validity_days=30
    )
    tx = Transaction.objects.create(
        order_id="BD-LPSR-9F3A7C21D4E5",
        user=resident,
        package=package,
        amount=150000,
        status=Transaction.Status.PAID,
        paid_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    TransactionEvent.objects.create(
        transaction=tx, source="notification", kind="status", status="settlement", payload={}
    )
    DailyUsage.objects.create(user=resident, date=timezone.localdate(), bytes=700 * MIB)
    quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=5 * GIB, requested_days=7)
    user_block(user=make_user(full_name="Andi Wijaya"), actor=staff, reason="Melanggar aturan")
    AuditEntry.objects.create(
        action="device.remove",
        target_user=resident,
        object_type="accounts.device",
        object_id="1",
        reason="removed by the resident",
    )
    Router.objects.create(name="Mikrotik Blok A", host="127.0.0.1", port=1, username="lps", password="x")
    del CounterSample  # listed through the router pages


def _pages():
    """(name, changelist URL, model) for every model registered in the admin."""
    for model in admin.site._registry:
        opts = model._meta
        yield (
            f"{opts.app_label}-{opts.model_name}",
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            model,
        )


def test_every_admin_list_and_change_page_fits_a_laptop(browser, live_server, make_user, staff, settings):
    settings.ROUTER_TIMEOUT_S = 1
    _data(make_user, staff)
    page = page_open(browser, width=1366, height=768)
    page.set_default_timeout(15_000)
    sign_in(page.context, live_server.url, staff)
    problems = {}

    def check(name):
        found = layout_problems(
            page, heading="#content > h1, #content > h2", navs=("#header", ".breadcrumbs")
        )
        # The audit trail's before/after are stored data (JSON keys), not text written for people; a site's
        # login hosts are host names; a background task's function is a dotted Python path and its result the
        # value it returned (a summary for operators' logs).
        text = page.evaluate(
            "() => { const c = document.querySelector('#container').cloneNode(true);"
            " c.querySelectorAll('.field-before, .field-after, .field-login_hosts, .field-func,"
            " .field-result, .field-short_result')"
            ".forEach(e => e.remove());"
            " document.body.appendChild(c); const t = c.innerText; c.remove(); return t; }"
        )
        found += language_problems(text)
        screenshot(page, f"admin-pages-{name}")
        if found:
            problems[name] = found

    page.goto(live_server.url + "/admin/")
    check("index")
    for name, url, model in _pages():
        page.goto(live_server.url + url)
        check(f"{name}-list")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            opts = model._meta
            page.goto(
                live_server.url + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            check(f"{name}-change")
    assert problems == {}
