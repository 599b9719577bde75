"""Staff manage packages and look after transactions in the admin."""

import pytest
from django.urls import reverse

from billing.models import Package, Transaction
from core.units import GIB

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    from accounts.models import User

    # No password: force_login needs none, and hashing one costs a second per test.
    return make_user(role=User.Role.SUPER_ADMIN, is_superuser=True)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def package_form(**overrides):
    data = {
        "name": "Paket 1,5 GB",
        "price": "10000",
        "quota_bytes_0": "1.5",
        "quota_bytes_1": "GB",
        "validity_days": "30",
        "rate_tier": "",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_staff_enter_package_quota_in_gigabytes(admin_client):
    response = admin_client.post(reverse("admin:billing_package_add"), package_form())

    assert response.status_code == 302
    assert Package.objects.get().quota_bytes == int(1.5 * GIB)


def test_zero_quota_makes_an_unlimited_package(admin_client):
    admin_client.post(
        reverse("admin:billing_package_add"),
        package_form(name="Unlimited", quota_bytes_0="0", rate_tier="premium"),
    )

    package = Package.objects.get()
    assert package.is_unlimited and package.rate_tier == "premium"
    listing = admin_client.get(reverse("admin:billing_package_changelist")).content.decode()
    assert "Unlimited" in listing or "Tanpa batas" in listing


def test_a_negative_quota_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:billing_package_add"), package_form(quota_bytes_0="-1"))

    assert response.status_code == 200 and not Package.objects.exists()
    assert response.context["adminform"].form.errors["quota_bytes"]


def test_an_unknown_rate_tier_is_refused(admin_client):
    response = admin_client.post(reverse("admin:billing_package_add"), package_form(rate_tier="turbo"))
    assert response.status_code == 200 and not Package.objects.exists()


def test_transactions_cannot_be_added_or_edited(admin_client, started):
    assert admin_client.get(reverse("admin:billing_transaction_add")).status_code == 403
    change_url = reverse("admin:billing_transaction_change", args=[started.pk])
    admin_client.post(change_url, {"status": "PAID", "amount": "1"})
    started.refresh_from_db()
    assert started.status == Transaction.Status.PENDING and started.amount == 25000


def test_transaction_page_shows_its_events(admin_client, started):
    page = admin_client.get(reverse("admin:billing_transaction_change", args=[started.pk])).content.decode()
    assert started.order_id in page and "created" in page


def test_changelist_shows_totals_for_the_filtered_rows(
    admin_client, midtrans_fake, started, package, resident
):
    Transaction.objects.create(
        order_id="LPS-PAID-1",
        user=resident,
        package=package,
        amount=25000,
        status="PAID",
        expires_at=started.expires_at,
    )
    Transaction.objects.create(
        order_id="LPS-PAID-2",
        user=resident,
        package=package,
        amount=30000,
        status="PAID",
        expires_at=started.expires_at,
    )

    everything = admin_client.get(reverse("admin:billing_transaction_changelist"))
    paid_only = admin_client.get(reverse("admin:billing_transaction_changelist"), {"status__exact": "PAID"})

    assert everything.context["totals"] == {
        "count": 3,
        "paid_count": 2,
        "paid_amount": 55000,
        "pending_count": 1,
        "review_count": 0,
    }
    assert paid_only.context["totals"]["count"] == 2
    assert "55.000" in everything.content.decode() or "55,000" in everything.content.decode()


def test_check_with_midtrans_applies_a_confirmed_payment(admin_client, midtrans_fake, started):
    midtrans_fake.pay(started.order_id, "settlement")

    admin_client.post(
        reverse("admin:billing_transaction_changelist"),
        {"action": "check_with_midtrans", "_selected_action": [started.pk]},
    )

    started.refresh_from_db()
    assert started.status == Transaction.Status.PAID
    assert started.events.filter(source="admin").exists()


def test_marking_reviewed_clears_the_flag_with_an_audit_row(admin_client, started, staff):
    from accounts.models import AuditEntry

    Transaction.objects.filter(pk=started.pk).update(needs_review=True)
    admin_client.post(
        reverse("admin:billing_transaction_changelist"),
        {"action": "close_review", "_selected_action": [started.pk]},
    )

    started.refresh_from_db()
    assert not started.needs_review
    assert AuditEntry.objects.filter(action="billing.review_closed", actor=staff).exists()
