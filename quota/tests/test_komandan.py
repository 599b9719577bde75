"""Komandan requests: the page, the limits, one pending at a time, the cooldown, and staff decisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, User
from core.units import GIB, MIB
from quota.komandan import (
    cooldown_remaining,
    quota_request_approve,
    quota_request_create,
    quota_request_reject,
)
from quota.models import QuotaBalance, QuotaEntry, QuotaRequest

NOW = timezone.now()


@pytest.mark.parametrize(
    ("last", "hours", "wait"),
    [
        (None, 6, timedelta(0)),
        (NOW - timedelta(hours=7), 6, timedelta(0)),
        (NOW - timedelta(hours=6), 6, timedelta(0)),
        (NOW - timedelta(hours=1), 6, timedelta(hours=5)),
        (NOW, 0, timedelta(0)),
    ],
)
def test_cooldown_rule(last, hours, wait):
    assert cooldown_remaining(last_requested_at=last, now=NOW, hours=hours) == wait


@pytest.fixture(autouse=True)
def _komandan_limits(settings):
    settings.KOMANDAN_MAX_REQUEST_BYTES = 50 * GIB
    settings.KOMANDAN_MAX_REQUEST_DAYS = 30
    settings.KOMANDAN_ALLOW_UNLIMITED = True
    settings.KOMANDAN_REQUEST_COOLDOWN_HOURS = 6


@pytest.fixture
def komandan(make_user):
    return make_user(role=User.Role.KOMANDAN, quota_bytes=GIB)


@pytest.fixture
def komandan_client(client, komandan):
    client.force_login(komandan)
    return client


def ask(client, **fields):
    return client.post(reverse("komandan:requests"), {"kind": "QUOTA", "unit": "GB", "days": "7", **fields})


@pytest.mark.django_db
def test_komandan_asks_for_gigabytes_and_sees_it_pending(komandan_client, komandan):
    response = ask(komandan_client, amount="5")
    assert response.status_code == 302
    request = QuotaRequest.objects.get(requester=komandan)
    assert (request.kind, request.requested_bytes, request.requested_days) == ("QUOTA", 5 * GIB, 7)
    page = komandan_client.get(reverse("komandan:requests"))
    assert 'id="komandan-pending"' in page.content.decode() and "5,00 GB" in page.content.decode()
    assert AuditEntry.objects.filter(action="komandan.request", actor=komandan).exists()


@pytest.mark.django_db
def test_more_than_the_maximum_is_refused_with_a_message(komandan_client, komandan, settings):
    settings.KOMANDAN_MAX_REQUEST_BYTES = 10 * GIB
    page = ask(komandan_client, amount="11")
    assert page.status_code == 200 and "10,00 GB" in page.content.decode()
    too_long = ask(komandan_client, amount="1", days=str(settings.KOMANDAN_MAX_REQUEST_DAYS + 1))
    assert too_long.status_code == 200
    assert not QuotaRequest.objects.exists()


@pytest.mark.django_db
def test_unlimited_only_when_the_setting_allows_it(komandan_client, komandan, settings):
    settings.KOMANDAN_ALLOW_UNLIMITED = False
    assert ask(komandan_client, kind="UNLIMITED").status_code == 200
    assert not QuotaRequest.objects.exists()
    settings.KOMANDAN_ALLOW_UNLIMITED = True
    assert ask(komandan_client, kind="UNLIMITED").status_code == 302
    assert QuotaRequest.objects.get().kind == "UNLIMITED"


@pytest.mark.django_db
def test_one_pending_request_then_a_cooldown(komandan, staff, settings):
    settings.KOMANDAN_REQUEST_COOLDOWN_HOURS = 6
    first = quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3)
    with pytest.raises(ValidationError) as pending:
        quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3)
    assert pending.value.code == "pending"
    quota_request_reject(request_id=first.pk, actor=staff, reason="Belum perlu")
    with pytest.raises(ValidationError) as cooling:
        quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3)
    assert cooling.value.code == "cooldown"
    QuotaRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=7))
    quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3)


@pytest.mark.django_db
def test_residents_cannot_ask_and_do_not_see_the_form(client, make_user):
    resident = make_user()
    client.force_login(resident)
    page = client.get(reverse("komandan:requests"))
    assert page.status_code == 403
    with pytest.raises(ValidationError):
        quota_request_create(requester=resident, kind="QUOTA", requested_bytes=GIB, requested_days=3)


@pytest.mark.django_db
def test_anonymous_visitors_go_to_the_login(client):
    response = client.get(reverse("komandan:requests"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_full_approval_grants_through_the_ledger_with_the_request_key(
    komandan, staff, outbox, django_capture_on_commit_callbacks
):
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=3 * GIB, requested_days=10
    )
    with django_capture_on_commit_callbacks(execute=True):
        quota_request_approve(request_id=request.pk, actor=staff)
    request.refresh_from_db()
    assert request.status == "APPROVED" and request.granted_bytes == 3 * GIB and request.processed_by == staff
    entry = QuotaEntry.objects.get(idempotency_key=f"request:{request.pk}")
    assert entry.amount_bytes == 3 * GIB and entry.actor == staff
    assert QuotaBalance.objects.get(user=komandan).remaining_bytes == 4 * GIB
    assert [m["phone"] for m in outbox] == [komandan.phone]


@pytest.mark.django_db
def test_partial_approval_grants_less_and_needs_a_reason(komandan, staff):
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=10 * GIB, requested_days=30
    )
    with pytest.raises(ValidationError):
        quota_request_approve(request_id=request.pk, actor=staff, granted_bytes=2 * GIB, granted_days=7)
    with pytest.raises(ValidationError):
        quota_request_approve(request_id=request.pk, actor=staff, granted_bytes=20 * GIB, reason="lebih")
    quota_request_approve(
        request_id=request.pk, actor=staff, granted_bytes=2 * GIB, granted_days=7, reason="Stok terbatas"
    )
    request.refresh_from_db()
    assert request.status == "PARTIALLY_APPROVED" and (request.granted_bytes, request.granted_days) == (
        2 * GIB,
        7,
    )
    assert QuotaBalance.objects.get(user=komandan).remaining_bytes == 3 * GIB


@pytest.mark.django_db
def test_unlimited_request_approved_sets_unlimited(komandan, staff):
    request = quota_request_create(requester=komandan, kind="UNLIMITED", requested_days=5)
    quota_request_approve(request_id=request.pk, actor=staff)
    balance = QuotaBalance.objects.get(user=komandan)
    assert balance.is_unlimited
    assert timedelta(days=4) < balance.expires_at - timezone.now() <= timedelta(days=5)


@pytest.mark.django_db
def test_a_decided_request_cannot_be_decided_again(komandan, staff):
    request = quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=1)
    quota_request_reject(request_id=request.pk, actor=staff, reason="Tidak")
    with pytest.raises(ValidationError) as processed:
        quota_request_approve(request_id=request.pk, actor=staff)
    assert processed.value.code == "processed"
    assert not QuotaEntry.objects.filter(idempotency_key=f"request:{request.pk}").exists()


@pytest.mark.django_db
def test_staff_approve_from_the_admin_page(client, komandan, staff):
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=512 * MIB, requested_days=3
    )
    client.force_login(staff)
    url = reverse("admin:quota_quotarequest_do", args=[request.pk, "request_approve"])
    page = client.get(url)
    assert "512,0 MB" in page.content.decode()
    # The confirmation names who asked (it showed "Kuota <user id> (Menunggu)").
    assert f"{komandan.full_name} ({komandan.phone}) · Kuota (Menunggu)" in page.content.decode()
    token = page.context["form"]["token"].value()
    assert client.post(url, {"token": token, "_lps_step": "apply"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "APPROVED"
    detail = client.get(reverse("admin:quota_quotarequest_change", args=[request.pk])).content.decode()
    assert "512,0 MB" in detail and str(512 * MIB) not in detail  # amounts as people read them


@pytest.mark.django_db
def test_the_page_explains_the_maximum_a_pending_request_and_the_cooldown_in_indonesian(
    komandan_client, komandan, staff, settings
):
    settings.KOMANDAN_MAX_REQUEST_BYTES = 10 * GIB
    over = ask(komandan_client, amount="11").content.decode()
    assert "Anda dapat meminta paling banyak 10,00 GB." in over  # the error, not only the help text
    ask(komandan_client, amount="2")
    pending = ask(komandan_client, amount="2").content.decode()  # a second request while one waits
    assert "Permintaan Anda menunggu staf." in pending and 'id="komandan-submit"' not in pending
    assert QuotaRequest.objects.filter(requester=komandan).count() == 1
    quota_request_reject(request_id=QuotaRequest.objects.get().pk, actor=staff, reason="Belum perlu")
    cooling = ask(komandan_client, amount="2").content.decode()
    assert "Anda dapat membuat permintaan baru setelah" in cooling and "Belum perlu" in cooling
    assert QuotaRequest.objects.filter(requester=komandan).count() == 1


@pytest.mark.django_db
def test_only_a_komandan_sees_the_requests_tab(client, komandan, make_user):
    client.force_login(komandan)
    assert 'id="nav-komandan"' in client.get(reverse("resident:home")).content.decode()
    client.force_login(make_user())
    assert 'id="nav-komandan"' not in client.get(reverse("resident:home")).content.decode()


@pytest.mark.django_db
def test_granting_no_bytes_on_an_unlimited_request_previews_and_applies_unlimited_for_fewer_days(
    client, komandan, staff, outbox, django_capture_on_commit_callbacks
):
    request = quota_request_create(requester=komandan, kind="UNLIMITED", requested_days=10)
    client.force_login(staff)
    url = reverse("admin:quota_quotarequest_do", args=[request.pk, "request_partial"])
    token = client.get(url).context["form"]["token"].value()
    fields = {"token": token, "amount": "0", "unit": "GB", "days": "5", "reason": "Cukup 5 hari"}
    preview = client.post(url, {**fields, "_lps_step": "preview"}).content.decode()
    assert "unlimited selama 5 hari" in preview and "0 B" not in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**fields, "_lps_step": "apply"})
    request.refresh_from_db()
    assert request.status == "PARTIALLY_APPROVED" and QuotaBalance.objects.get(user=komandan).is_unlimited
    [message] = [m for m in outbox if m["phone"] == komandan.phone]
    assert "disetujui sebagian" in message["text"] and "Cukup 5 hari" in message["text"]
