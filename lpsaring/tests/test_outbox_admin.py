"""The WhatsApp outbox page: super admins see what waits and what failed and send a failed message again
(audited, delivered once); a login code's text never shows and is never sent late; an ADMIN (limited to
sites; messages carry none) does not see the page."""

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


def test_a_failed_message_is_sent_again_once_and_audited(
    client, make_user, outbox, django_capture_on_commit_callbacks
):
    from accounts.models import AuditEntry

    failed = _message(text="Pembayaran diterima: INV/UTAMA/2026/000002", status=WhatsAppMessage.Status.FAILED)
    code = _message(
        text="Kode masuk Anda: 111222",
        status=WhatsAppMessage.Status.FAILED,
        discard_after=timezone.now() - timedelta(minutes=1),
    )
    staff = make_user(role=User.Role.SUPER_ADMIN, password="super-pass-123")
    client.force_login(staff)
    url = reverse("admin:core_whatsappmessage_do", args=[failed.pk, "send_again"])
    token = client.get(url).context["form"]["token"].value()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"token": token, "_lps_step": "apply"})
    assert done.status_code == 302
    failed.refresh_from_db()
    assert failed.status == WhatsAppMessage.Status.SENT
    assert [m["text"] for m in outbox] == ["Pembayaran diterima: INV/UTAMA/2026/000002"]
    assert AuditEntry.objects.get(action="whatsapp.retry").actor == staff

    refused = client.get(reverse("admin:core_whatsappmessage_do", args=[code.pk, "send_again"]))
    assert "tidak pernah dikirim terlambat" in refused.content.decode()
    code.refresh_from_db()
    assert code.status == WhatsAppMessage.Status.FAILED and len(outbox) == 1
