"""The JSON API: residents see their own quota and the packages; the OpenAPI contract validates."""

import pytest
import yaml
from django.core.management import call_command

from accounts.models import Device, User
from billing.models import Package
from core.units import GIB

pytestmark = pytest.mark.django_db


def test_a_resident_reads_their_own_status_quota_and_devices(client, make_user):
    resident = make_user(quota_bytes=5 * GIB)
    Device.objects.create(user=resident, mac="AC:DE:48:00:00:01", label="HP Budi", last_ip="172.16.2.101")
    make_user(quota_bytes=GIB)  # someone else's quota never shows
    client.force_login(resident)
    body = client.get("/api/me/").json()
    assert body["phone"] == resident.phone
    assert (body["status"], body["remaining_bytes"], body["unlimited"]) == ("ok", 5 * GIB, False)
    assert body["status_label"] == "Aktif"
    assert [(d["mac"], d["label"]) for d in body["devices"]] == [("AC:DE:48:00:00:01", "HP Budi")]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_the_resident_api_refuses_anyone_else(client, make_user, who):
    if who == "staff":
        client.force_login(make_user(role=User.Role.ADMIN, password="staff-pass-123"))
    assert client.get("/api/me/").status_code == 403
    assert client.get("/api/packages/").status_code == 403


def test_packages_lists_only_active_ones_cheapest_first(client, make_user):
    Package.objects.create(name="Besar", price=50_000, quota_bytes=30 * GIB, validity_days=30)
    Package.objects.create(name="Unlimited", price=150_000, quota_bytes=0, validity_days=30)
    Package.objects.create(name="Lama", price=1_000, quota_bytes=GIB, validity_days=1, is_active=False)
    client.force_login(make_user())
    body = client.get("/api/packages/").json()
    assert [(p["name"], p["price"], p["unlimited"]) for p in body] == [
        ("Besar", 50_000, False),
        ("Unlimited", 150_000, True),
    ]


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"/api/me/", "/api/packages/"} <= set(paths)
