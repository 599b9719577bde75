"""Resident pages and the "Buka di browser utama" link."""

import pytest
from django.test import Client

from accounts.models import AuditEntry, Device
from core.units import GIB
from portal.login import main_browser_link_make


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
    page = client.get("/akun/perangkat/").content.decode()
    assert "HP Andi" in page
    assert "Hapus perangkat ini?" in page  # asked before the device loses its connection
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


def test_the_history_reads_system_reasons_in_indonesian_and_hides_zero_byte_notes(client, resident):
    from accounts.audit_labels import IMPORT_DEBT_REASON, IMPORT_OPENING_REASON
    from quota.models import QuotaEntry

    QuotaEntry.objects.create(
        user=resident,
        kind="adjust",
        amount_bytes=GIB,
        idempotency_key="import:x",
        reason=IMPORT_OPENING_REASON,
    )
    QuotaEntry.objects.create(
        user=resident, kind="debt", amount_bytes=0, idempotency_key="import:debt:x", reason=IMPORT_DEBT_REASON
    )
    client.force_login(resident)
    page = client.get("/akun/riwayat/").content.decode()
    assert "saldo awal dari sistem lama" in page and IMPORT_OPENING_REASON not in page
    assert "utang yang dibawa" not in page and "+0 B" not in page


def _make_status(make_user, status):
    from datetime import timedelta

    from django.utils import timezone

    from quota.models import QuotaBalance

    if status == "blocked":
        return make_user(quota_bytes=GIB, is_blocked=True, blocked_reason="test")
    if status == "inactive":
        return make_user(quota_bytes=GIB, approved=False)
    user = make_user(quota_bytes=20 * GIB)
    if status == "habis":
        QuotaBalance.objects.filter(user=user).update(used_bytes=20 * GIB)
        return user
    if status == "expired":
        QuotaBalance.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(hours=1))
    else:  # fup: a few MB left of a large package
        QuotaBalance.objects.filter(user=user).update(used_bytes=20 * GIB - 10 * 1024**2)
    return user


@pytest.mark.parametrize(
    "status, heading, what_to_do",
    [
        ("blocked", "Akses diblokir", "Tanyakan kepada petugas alasannya"),
        ("inactive", "Akun belum aktif", "Minta petugas untuk menyetujui"),
        ("expired", "Masa berlaku habis", "Beli paket untuk tersambung lagi"),
        ("habis", "Kuota habis", "Beli paket untuk tersambung lagi"),
        ("fup", "Kecepatan dikurangi", "Beli paket untuk kecepatan penuh"),
    ],
)
def test_each_status_has_its_own_page_saying_what_to_do(client, make_user, status, heading, what_to_do):
    client.force_login(_make_status(make_user, status))
    page = client.get("/captive/status/").content.decode()
    assert f'id="status-{status}"' in page
    assert heading in page and what_to_do in page


def test_a_resident_who_never_had_quota_is_not_told_it_is_used_up(client, make_user):
    client.force_login(make_user(quota_bytes=0))
    page = client.get("/captive/status/").content.decode()
    assert 'id="status-habis"' in page
    assert "Belum ada kuota" in page and "Anda belum memiliki kuota" in page
    assert "habis terpakai" not in page


@pytest.mark.parametrize("status", ["blocked", "inactive", "expired", "habis"])
def test_connected_sends_a_resident_without_access_to_the_status_page(client, make_user, status):
    client.force_login(_make_status(make_user, status))
    response = client.get("/captive/terhubung/")
    assert response["Location"] == "/captive/status/"
