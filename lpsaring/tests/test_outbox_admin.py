"""The WhatsApp outbox page: super admins see what waits and what failed; a login code's text never shows;
an ADMIN (limited to sites; messages carry none) does not see the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import WhatsAppMessage

pytestmark = pytest.mark.django_db


def _message(**fields):
    now = timezone.now()
    return WhatsAppMessage.objects.create(
        phone="+6281234500001", created_at=now, next_attempt_at=now + timedelta(minutes=2), **fields
    )


def test_a_super_admin_sees_what_waits_and_why_but_never_a_login_code(client, make_user):
    receipt = _message(
        text="Pembayaran diterima: INV/UTAMA/2026/000001", last_error="HTTP 503 from the gateway"
    )
    code = _message(text="Kode masuk Anda: 482913", discard_after=timezone.now() + timedelta(minutes=5))
    client.force_login(make_user(role=User.Role.SUPER_ADMIN, password="super-pass-123"))

    listing = client.get(reverse("admin:core_whatsappmessage_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "HTTP 503 from the gateway" in page and "Menunggu" in page
    shown = client.get(reverse("admin:core_whatsappmessage_change", args=[receipt.pk])).content.decode()
    assert "INV/UTAMA/2026/000001" in shown
    hidden = client.get(reverse("admin:core_whatsappmessage_change", args=[code.pk])).content.decode()
    assert "482913" not in hidden and "kode masuk: tidak ditampilkan" in hidden


def test_an_admin_limited_to_sites_does_not_see_the_outbox(client, make_user):
    _message(text="Halo")
    client.force_login(make_user(role=User.Role.ADMIN, password="admin-pass-123"))
    assert client.get(reverse("admin:core_whatsappmessage_changelist")).status_code == 403
