"""Staff grants have bounds: GRANT_MAX_GB per action, at most two decimals, no exponent; the confirmation
page shows the amount in full so a typo shows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import User
from core.units import GIB, typed_amount_parse
from quota.komandan import quota_request_approve, quota_request_create
from quota.models import QuotaBalance, QuotaEntry
from quota.residents import resident_inject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "value"), [("5", "5"), ("5,5", "5.5"), ("5.5", "5.5"), ("0.25", "0.25"), (" 500 ", "500")]
)
def test_amounts_people_type_are_read(typed, value):
    assert str(typed_amount_parse(typed)) == value


@pytest.mark.parametrize(
    "typed",
    ["1e3", "1E3", "5.000", "1.000,5", "0,125", "-5", "+5", "5.", ".5", "", "NaN", "Infinity", "٥", "5 GB"],
)
def test_exponents_third_decimals_separators_and_signs_are_refused(typed):
    with pytest.raises(ValidationError):
        typed_amount_parse(typed)


def preview(client, user, **fields):
    url = reverse("admin:accounts_user_do", args=[user.pk, "inject"])
    token = client.get(url).context["form"]["token"].value()
    data = {"token": token, "unit": "GB", "days": "30", "reason": "Bonus", **fields}
    return url, data, client.post(url, {**data, "_lps_step": "preview"})


@pytest.mark.parametrize("amount", ["1e3", "99999999.99", "500.01", "501", "5.000", "0"])
def test_the_inject_page_refuses_out_of_bounds_amounts_and_grants_nothing(staff_client, make_user, amount):
    resident = make_user()
    url, data, page = preview(staff_client, resident, amount=amount)
    assert not page.context["preview_ready"]
    assert page.context["form"].errors["amount"]
    staff_client.post(url, {**data, "_lps_step": "apply"})
    assert not QuotaEntry.objects.filter(user=resident).exists()


def test_the_maximum_is_a_setting(staff_client, make_user, settings):
    settings.GRANT_MAX_GB = 1000
    _, _, page = preview(staff_client, make_user(), amount="1000")
    assert page.context["preview_ready"]


def test_the_confirmation_page_shows_the_amount_in_full(staff_client, make_user):
    *_, page = preview(staff_client, make_user(), amount="5,5")
    assert page.context["preview_ready"]
    assert "5,50 GB = 5.905.580.032 byte" in page.content.decode()


def test_500_gb_is_accepted(staff_client, make_user):
    resident = make_user()
    url, data, page = preview(staff_client, resident, amount="500")
    assert page.context["preview_ready"]
    staff_client.post(url, {**data, "_lps_step": "apply"})
    assert QuotaBalance.objects.get(user=resident).remaining_bytes == 500 * GIB


def test_the_services_refuse_more_than_the_maximum(make_user, staff):
    resident = make_user()
    with pytest.raises(ValidationError):
        resident_inject(
            user=resident, actor=staff, amount_bytes=501 * GIB, days=1, reason="x", idempotency_key="big"
        )
    assert not QuotaEntry.objects.exists()


def test_a_komandan_partial_grant_is_bounded_too(staff_client, make_user, settings):
    settings.KOMANDAN_MAX_REQUEST_BYTES = 2000 * GIB
    komandan = make_user(role=User.Role.KOMANDAN)
    request = quota_request_create(
        requester=komandan, kind="QUOTA", requested_bytes=1000 * GIB, requested_days=7
    )
    url = reverse("admin:quota_quotarequest_do", args=[request.pk, "request_partial"])
    token = staff_client.get(url).context["form"]["token"].value()
    page = staff_client.post(
        url,
        {"token": token, "amount": "1e3", "unit": "GB", "days": "7", "reason": "x", "_lps_step": "preview"},
    )
    assert page.context["form"].errors["amount"]
    with pytest.raises(ValidationError):
        quota_request_approve(
            request_id=request.pk, actor=User.objects.get(pk=komandan.pk), granted_bytes=600 * GIB
        )
    assert not QuotaEntry.objects.exists()


@pytest.mark.parametrize("amount", ["1e3", "501"])
def test_the_grant_command_is_bounded_too(make_user, amount):
    user = make_user()
    with pytest.raises(CommandError):
        call_command("quota_grant", "--phone", user.phone, "--gb", amount, "--days", "10")
    assert not QuotaEntry.objects.exists()
