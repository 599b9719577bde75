"""Debt and invoices in the admin: the resident page's debt section, the debt list (filters, site scope,
bulk reminder), an invoice's PDF from the transaction page, and the monthly report (CSV and PDF)."""

import csv
import io
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry, Block, Room, User
from billing.services import transaction_confirm, transaction_start
from core.units import GIB
from quota.debt import debt_forgive, debt_grant
from quota.models import DebtItem, Invoice
from quota.tests.test_admin_resident_actions import confirm
from sites.models import Site

pytestmark = pytest.mark.django_db
MIDMONTH = "2026-03-15 10:00 +08:00"


def owe(user, note="Paket 2 GB", price=20000):
    return debt_grant(user=user, amount_bytes=2 * GIB, price_rp=price, actor=None, note=note)


@pytest.fixture
def other_site_resident(make_user):
    site = Site.objects.create(
        name="Rutan Beta", code="RTN-B", time_zone="Asia/Jakarta", client_cidrs="10.0.0.0/8"
    )
    block = Block.objects.create(site=site, name="BLOK-BETA")
    room = Room.objects.create(block=block, name="KAMAR-BETA")
    return make_user(full_name="Warga Beta", room=room, block=block)


@time_machine.travel(MIDMONTH, tick=False)
def test_the_resident_page_has_a_debt_section(staff_client, make_user):
    user = make_user()
    owe(user, note="Paket Kredit 2 GB")
    page = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'id="lps-debt"' in page and "Paket Kredit 2 GB" in page and "20.000" in page


def test_the_debt_list_filters_overdue_and_by_block_and_keeps_to_the_admins_sites(
    staff_client, make_user, other_site_resident
):
    with time_machine.travel("2026-02-10 10:00 +08:00", tick=False):
        old = make_user(full_name="Warga Lama")
        owe(old, note="Utang Februari")
    with time_machine.travel(MIDMONTH, tick=False):
        fresh = make_user(full_name="Warga Baru")
        owe(fresh, note="Utang Maret")
        owe(other_site_resident, note="Utang Beta")
        url = reverse("admin:quota_debtitem_changelist")
        overdue = staff_client.get(url, {"state": "overdue"}).content.decode()
        assert "Utang Februari" in overdue and "Utang Maret" not in overdue
        by_block = staff_client.get(
            url, {"user__block__id__exact": other_site_resident.block_id}
        ).content.decode()
        assert "Utang Beta" in by_block and "Utang Maret" not in by_block
        admin_a = make_user(role=User.Role.ADMIN, password="a-Long-pass-123", full_name="Petugas Alfa")
        admin_a.staff_sites.set([Site.objects.default()])
        client = Client()
        client.force_login(admin_a)
        page = client.get(url).content.decode()
        assert "Utang Maret" in page and "Utang Beta" not in page


@time_machine.travel(MIDMONTH, tick=False)
def test_bulk_reminder_sends_one_message_per_resident_with_open_items(
    staff_client, make_user, outbox, django_capture_on_commit_callbacks
):
    owing = make_user()
    items = [owe(owing, note="Satu"), owe(owing, note="Dua")]
    settled = make_user()
    owe(settled)
    debt_forgive(user=settled, actor=None, reason="uji")
    closed = DebtItem.objects.get(user=settled)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:quota_debtitem_changelist"),
            {"action": "send_reminder", "_selected_action": [i.pk for i in items] + [closed.pk]},
        )
    assert [m["phone"] for m in outbox] == [owing.phone]
    assert "40.000" in outbox[0]["text"]
    assert AuditEntry.objects.filter(action="debt.remind", target_user=owing).count() == 1


@time_machine.travel(MIDMONTH, tick=False)
def test_invoice_pdf_from_the_transaction_page_and_the_monthly_report(
    staff_client, make_user, package, midtrans_fake, other_site_resident
):
    user = make_user(full_name="Warga Pembeli")
    tx = transaction_start(user=user, package=package)
    midtrans_fake.pay(tx.order_id, "settlement", payment_type="gopay")
    assert transaction_confirm(order_id=tx.order_id, source="test", notification=None) == "applied"
    owe(user, price=30000)
    owe(other_site_resident, price=15000)
    invoice = Invoice.objects.get(reference=tx.order_id)
    page = staff_client.get(reverse("admin:billing_transaction_change", args=[tx.pk])).content.decode()
    pdf_url = reverse("admin:quota_invoice_pdf", args=[invoice.pk])
    assert pdf_url in page and invoice.number in page
    pdf = staff_client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout.decode()
    assert invoice.number in text and "Warga Pembeli" in text

    report_url = reverse("admin:quota_invoice_report")
    assert 'id="lps-report"' in staff_client.get(report_url, {"year": 2026, "month": 3}).content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(
                staff_client.get(report_url, {"year": 2026, "month": 3, "format": "csv"}).content.decode()
            )
        )
    )
    by_code = {row["code"]: row for row in rows}
    main = by_code[Site.objects.default().code]
    assert main["purchases"] == "1" and main["purchases_rp"] == str(package.price)
    assert main["granted_rp"] == "30000" and main["open_items_rp"] == "30000"
    assert by_code["RTN-B"]["granted_rp"] == "15000" and by_code["RTN-B"]["purchases"] == "0"
    report = staff_client.get(report_url, {"year": 2026, "month": 3, "format": "pdf"})
    text = subprocess.run(["pdftotext", "-", "-"], input=report.content, capture_output=True).stdout.decode()
    assert "Rutan Beta" in text and "30.000" in text
    assert staff_client.get(report_url, {"year": "x", "format": "csv"}).status_code == 404


def test_a_package_given_on_credit_is_its_quota_and_its_price_as_a_debt_item(
    staff_client, make_user, package
):
    package.validity_days = 60
    package.save()
    granted_at = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    with time_machine.travel(granted_at, tick=False):
        resident = make_user(quota_bytes=GIB, days=30)
        preview, done = confirm(staff_client, resident, "debt_grant_package", package=package.pk)

    assert "Rp 25.000" in preview.content.decode() and done.status_code == 302
    [item] = DebtItem.objects.filter(user=resident)
    assert (item.amount_bytes, item.price_rp) == (package.quota_bytes, package.price)
    assert package.name in item.note
    resident.balance.refresh_from_db()
    assert resident.balance.remaining_bytes == GIB + package.quota_bytes
    assert resident.balance.expires_at == granted_at + timedelta(days=60)  # the package's validity


def test_a_package_on_credit_is_refused_for_a_komandan(staff_client, make_user, package):
    komandan = make_user(role=User.Role.KOMANDAN)
    page = staff_client.get(reverse("admin:accounts_user_do", args=[komandan.pk, "debt_grant_package"]))

    assert "Komandan" in page.content.decode()
    assert not DebtItem.objects.filter(user=komandan).exists()
