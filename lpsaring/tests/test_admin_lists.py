"""The admin's list pages: every one renders with useful columns and search, the big ones in a number of
queries that does not grow with the rows, and amounts read as GB/MB and Rupiah with thousands separators."""

import itertools

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device, User
from accounts.services import user_block
from billing.models import Package, Transaction
from core.units import GIB

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "quota", "billing", "routers", "sites")
BIG_LISTS = [
    "admin:accounts_user_changelist",
    "admin:quota_quotaentry_changelist",
    "admin:billing_transaction_changelist",
    "admin:accounts_auditentry_changelist",
]
_numbers = itertools.count(1)


def residents_with_history(make_user, staff, count: int) -> None:
    """Residents with quota, a device, a transaction and a few audit rows each."""
    package, _ = Package.objects.get_or_create(
        name="Paket 10 GB", defaults={"price": 25000, "quota_bytes": 10 * GIB}
    )
    for _ in range(count):
        n = next(_numbers)
        resident = make_user(quota_bytes=GIB)
        Device.objects.create(user=resident, mac=f"AA:BB:CC:01:{n // 256:02X}:{n % 256:02X}")
        Transaction.objects.create(
            order_id=f"LIST-{n}", user=resident, package=package, amount=25000, expires_at=timezone.now()
        )
        user_block(user=resident, actor=staff, reason="uji")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_big_lists_do_not_query_per_row(staff_client, staff, make_user):
    residents_with_history(make_user, staff, 3)
    small = {name: queries_for(staff_client, reverse(name)) for name in BIG_LISTS}
    residents_with_history(make_user, staff, 25)
    large = {name: queries_for(staff_client, reverse(name)) for name in BIG_LISTS}
    assert large == small, "a list's query count grows with its rows"


def _our_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


def test_every_list_of_ours_has_columns_and_search_and_renders(staff_client, staff, make_user):
    residents_with_history(make_user, staff, 2)
    for model, model_admin in _our_admins():
        label = model._meta.label
        assert len(model_admin.list_display) >= 2 or model._meta.model_name == "tampingtype", label
        assert model_admin.search_fields, f"{label} has no search"
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert staff_client.get(url, {"q": "uji"}).status_code == 200, label


def test_amounts_read_as_gigabytes_and_rupiah_with_thousands_separators(staff_client, staff, make_user):
    residents_with_history(make_user, staff, 1)
    resident = User.objects.filter(role=User.Role.USER).latest("pk")
    pages = {
        "transactions": staff_client.get(reverse("admin:billing_transaction_changelist")),
        "packages": staff_client.get(reverse("admin:billing_package_changelist")),
        "dashboard": staff_client.get(reverse("admin:index")),
        "resident": staff_client.get(reverse("admin:accounts_user_change", args=[resident.pk])),
    }
    for name, page in pages.items():
        text = page.content.decode()
        assert "Rp 25.000" in text, name
        assert "Rp 25000" not in text and ">25000<" not in text, name
    assert "10,00 GB" in pages["packages"].content.decode()
    assert "1,00 GB" in pages["resident"].content.decode()  # the ledger entry
