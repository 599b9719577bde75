"""Receiving quota never shortens its validity: the service, the staff pages and the WhatsApp messages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.units import GIB, MIB
from quota.expiry import expiry_after_credit
from quota.komandan import quota_request_create
from quota.models import QuotaBalance
from quota.services import quota_grant

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # 18:00 in Asia/Makassar
JAN_1 = datetime(2027, 1, 1, 10, 0, tzinfo=UTC)  # what a 10 GB balance bought for 29 days runs until
JAN_1_TEXT = "01-01-2027 18:00"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("current", "days", "expected"),
    [
        (None, 30, NOW + timedelta(days=30)),  # nothing yet: from now
        (NOW - timedelta(days=2), 1, NOW + timedelta(days=1)),  # expired: from now
        (JAN_1, 1, JAN_1),  # later expiry kept
        (JAN_1, 29, JAN_1),  # equal
        (JAN_1, 60, NOW + timedelta(days=60)),  # a longer credit extends
    ],
)
def test_the_new_expiry_is_the_later_of_the_current_one_and_now_plus_days(current, days, expected):
    assert expiry_after_credit(current=current, now=NOW, days=days) == expected


@pytest.fixture
def resident_until_jan_1(make_user, frozen):
    """10 GB valid until 1 January, 29 days from now."""
    return make_user(quota_bytes=10 * GIB, days=29)


def expiry(user):
    return QuotaBalance.objects.get(user=user).expires_at


@pytest.mark.django_db
def test_a_one_day_grant_keeps_the_later_expiry(resident_until_jan_1):
    quota_grant(user=resident_until_jan_1, amount_bytes=GIB, days=1, idempotency_key="t:1")
    assert expiry(resident_until_jan_1) == JAN_1
    assert QuotaBalance.objects.get(user=resident_until_jan_1).remaining_bytes == 11 * GIB


@pytest.mark.django_db
def test_an_expired_balance_starts_from_now(make_user):
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        user = make_user(quota_bytes=GIB, days=30)
    with time_machine.travel(NOW, tick=False):
        quota_grant(user=user, amount_bytes=GIB, days=7, idempotency_key="t:2")
    assert expiry(user) == NOW + timedelta(days=7)


def confirm(client, url, **fields):
    token = client.get(url).context["form"]["token"].value()
    data = {"token": token, **fields}
    preview = client.post(url, {**data, "_lps_step": "preview"})
    assert preview.context["preview_ready"], preview.context["form"].errors
    return preview.content.decode(), client.post(url, {**data, "_lps_step": "apply"})


@pytest.mark.django_db
def test_staff_inject_shows_and_keeps_the_later_expiry_and_whatsapp_names_it(
    staff_client, resident_until_jan_1, outbox, django_capture_on_commit_callbacks
):
    resident = resident_until_jan_1
    url = reverse("admin:accounts_user_do", args=[resident.pk, "inject"])
    with django_capture_on_commit_callbacks(execute=True):
        preview, applied = confirm(staff_client, url, amount="1", unit="GB", days="1", reason="Bonus")

    assert preview.count(JAN_1_TEXT) == 2  # before and after: unchanged
    assert "04-12-2026" not in preview
    assert applied.status_code == 302
    assert expiry(resident) == JAN_1
    (message,) = [m["text"] for m in outbox if m["phone"] == resident.phone]
    assert JAN_1_TEXT in message


@pytest.mark.django_db
def test_komandan_grant_shows_and_keeps_the_later_expiry_and_whatsapp_names_it(
    staff_client, make_user, frozen, outbox, django_capture_on_commit_callbacks
):
    from accounts.models import User

    komandan = make_user(role=User.Role.KOMANDAN, quota_bytes=10 * GIB, days=29)
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=512 * MIB, requested_days=1
    )
    url = reverse("admin:quota_quotarequest_do", args=[request.pk, "request_approve"])
    page = staff_client.get(url).content.decode()
    assert page.count(JAN_1_TEXT) == 2 and "04-12-2026" not in page
    token = staff_client.get(url).context["form"]["token"].value()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"token": token, "_lps_step": "apply"})

    assert expiry(komandan) == JAN_1
    (message,) = [m["text"] for m in outbox if m["phone"] == komandan.phone]
    assert JAN_1_TEXT in message


@pytest.mark.django_db
def test_komandan_partial_grant_previews_the_resulting_expiry(staff_client, make_user, frozen, settings):
    from accounts.models import User

    settings.KOMANDAN_MAX_REQUEST_DAYS = 90
    komandan = make_user(role=User.Role.KOMANDAN, quota_bytes=10 * GIB, days=29)
    request = quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=60)
    url = reverse("admin:quota_quotarequest_do", args=[request.pk, "request_partial"])
    preview, _ = confirm(staff_client, url, amount="0.5", unit="GB", days="45", reason="Sebagian")
    assert JAN_1_TEXT in preview and "17-01-2027 18:00" in preview  # from 1 January to now + 45 days
    assert expiry(komandan) == NOW + timedelta(days=45)


@pytest.mark.django_db
def test_approving_a_registration_previews_the_initial_quota_expiry(
    staff_client, make_user, settings, frozen
):
    settings.INITIAL_QUOTA_BYTES = 500 * MIB
    settings.INITIAL_QUOTA_DAYS = 7
    pending = make_user(approved=False)
    url = reverse("admin:accounts_user_do", args=[pending.pk, "approve"])
    assert "10-12-2026 18:00" in staff_client.get(url).content.decode()
