"""Announcements on the resident home page, within their dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from core.units import GIB
from quota.models import Announcement


def test_the_home_page_shows_current_announcements_only(client, make_user):
    resident = make_user(quota_bytes=GIB)
    Announcement.objects.create(
        title="Jadwal kunjungan",
        text="Kunjungan keluarga Sabtu.",
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 5, 9),
    )
    Announcement.objects.create(
        title="Lama", text="Sudah lewat.", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 2)
    )
    client.force_login(resident)
    with time_machine.travel(datetime(2026, 5, 3, 9, 0, tzinfo=ZoneInfo("Asia/Makassar")), tick=False):
        page = client.get("/akun/").content.decode()
    assert "Jadwal kunjungan" in page and "Kunjungan keluarga Sabtu." in page
    assert "Lama" not in page
