"""Resident pages and the "Buka di browser utama" link."""

import pytest
from django.test import Client

from accounts.login import main_browser_link_make
from accounts.models import AuditEntry, Device
from lpsaring.units import GIB


@pytest.fixture
def resident(make_user):
    return make_user(quota_bytes=2 * GIB)


def open_link(client, user):
    return client.get(f"/akun/buka/{main_browser_link_make(user=user)}/")


def test_the_main_browser_link_logs_in_once(db, resident):
    token = main_browser_link_make(user=resident)
    first, second = Client(), Client()
    response = first.get(f"/akun/buka/{token}/", follow=True)
    assert response.status_code == 200 and resident.full_name in response.content.decode()
    reused = second.get(f"/akun/buka/{token}/")
    assert reused.status_code == 403
    assert second.get("/akun/").status_code == 302


def test_an_expired_or_forged_link_logs_in_nobody(db, resident, settings):
    token = main_browser_link_make(user=resident)
    assert Client().get(f"/akun/buka/{token[:-2]}xx/").status_code == 403
    settings.MAIN_BROWSER_LINK_TTL_S = -1
    assert Client().get(f"/akun/buka/{token}/").status_code == 403


def test_a_link_for_a_since_blocked_resident_logs_in_nobody(db, resident):
    token = main_browser_link_make(user=resident)
    resident.is_blocked, resident.blocked_reason = True, "test"
    resident.save()
    assert Client().get(f"/akun/buka/{token}/").status_code == 403


def test_resident_pages_need_a_resident_login(db, staff, client):
    assert client.get("/akun/perangkat/")["Location"].startswith("/captive/?next=")
    client.force_login(staff)
    assert client.get("/akun/").status_code == 302


def test_a_resident_renames_and_removes_a_device(client, resident):
    device = Device.objects.create(user=resident, mac="AC:DE:48:00:00:01")
    client.force_login(resident)
    client.post(f"/akun/perangkat/{device.pk}/ubah/", {"label": "HP Andi"})
    assert "HP Andi" in client.get("/akun/perangkat/").content.decode()
    client.post(f"/akun/perangkat/{device.pk}/hapus/")
    assert not Device.objects.filter(pk=device.pk).exists()
    assert AuditEntry.objects.filter(action="device.remove", actor=resident).exists()


def test_a_resident_cannot_touch_someone_elses_device(client, resident, make_user):
    other = make_user()
    device = Device.objects.create(user=other, mac="AC:DE:48:00:00:02")
    client.force_login(resident)
    assert client.post(f"/akun/perangkat/{device.pk}/hapus/").status_code == 404
    assert Device.objects.filter(pk=device.pk).exists()


def test_the_history_lists_the_ledger(client, resident):
    client.force_login(resident)
    page = client.get("/akun/riwayat/").content.decode()
    assert "+2" in page and "GB" in page


@pytest.mark.parametrize(
    "fields, text",
    [
        ({"quota_bytes": 0}, "Kuota habis"),
        ({"quota_bytes": GIB, "days": 1, "_expire": True}, "Masa berlaku habis"),
        ({"quota_bytes": GIB, "approved": False}, "Akun belum aktif"),
    ],
)
def test_each_status_has_its_own_page(client, make_user, fields, text):
    expire = fields.pop("_expire", False)
    user = make_user(**fields)
    if expire:
        from datetime import timedelta

        from django.utils import timezone

        from quota.models import QuotaBalance

        QuotaBalance.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(user)
    response = client.get("/captive/terhubung/", follow=True)
    assert text in response.content.decode()
