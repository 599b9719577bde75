"""Every staff action writes its audit row in the same transaction; the audit view is read-only."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.cleanup import registrations_purge
from accounts.models import AuditEntry, Device, User
from core.units import GIB
from quota.komandan import quota_request_create
from quota.models import QuotaBalance, QuotaEntry, QuotaRequest

pytestmark = pytest.mark.django_db


def refuse_audit_rows():
    """Make PostgreSQL refuse every new audit row (the test transaction drops the trigger again)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION lps_test_refuse_audit() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit refused by test'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER lps_test_refuse_audit BEFORE INSERT ON accounts_auditentry
            FOR EACH ROW EXECUTE FUNCTION lps_test_refuse_audit();
            """
        )


def _apply(client, url, **fields):
    token = client.get(url).context["form"]["token"].value()
    return client.post(url, {"token": token, "_lps_step": "apply", **fields}, follow=True)


def _state(resident, request=None):
    resident.refresh_from_db()
    balance = QuotaBalance.objects.filter(user=resident).first()
    return (
        resident.approval_status,
        resident.is_blocked,
        balance and (balance.purchased_bytes, balance.is_unlimited, balance.expires_at),
        QuotaEntry.objects.filter(user=resident).count(),
        Device.objects.filter(user=resident).count(),
        request and QuotaRequest.objects.get(pk=request.pk).status,
    )


ACTIONS = [
    ("approve", {}),
    ("reject", {"reason": "Data salah"}),
    ("block", {"reason": "Melanggar"}),
    ("inject", {"amount": "1", "unit": "GB", "days": "5", "reason": "Bonus"}),
    ("unlimited_set", {"days": "5", "reason": "Tugas"}),
    ("devices_remove", {"reason": "Hilang"}),
    ("unblock", {"reason": "Sudah dibina"}),
    ("unlimited_revoke", {"reason": "Selesai"}),
    ("router_reset", {"reason": "HP tidak tersambung"}),
]


def _prepare(resident, action, port):
    """Put the resident in the state the action applies to (blocked, unlimited; a router on their site,
    down, for a router reset)."""
    from accounts.services import user_block
    from quota.services import quota_set_unlimited
    from routers.models import Router

    if action == "router_reset":
        Router.objects.create(name="down", host="127.0.0.1", port=port, username="api")
    if action == "unblock":
        user_block(user=resident, actor=None, reason="Melanggar")
    if action == "unlimited_revoke":
        quota_set_unlimited(user=resident, unlimited=True, actor=None, days=5)


@pytest.mark.parametrize(("action", "fields"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_each_action_writes_one_audit_row_with_the_staff_member(
    staff_client, staff, make_user, action, fields, closed_port, fast_router_settings
):
    resident = make_user(approved=action not in ("approve", "reject"), quota_bytes=0)
    device = Device.objects.create(user=resident, mac="AA:BB:CC:11:22:33")
    _prepare(resident, action, closed_port)
    if action == "devices_remove":
        fields = {**fields, "devices": [device.pk]}
    before = AuditEntry.objects.count()
    _apply(staff_client, reverse("admin:accounts_user_do", args=[resident.pk, action]), **fields)
    new = AuditEntry.objects.order_by("id")[before:]
    assert new and all(entry.actor == staff and entry.target_user == resident for entry in new)


@pytest.mark.parametrize(("action", "fields"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_when_the_audit_row_cannot_be_written_nothing_changes(
    staff_client, make_user, action, fields, closed_port, fast_router_settings
):
    resident = make_user(approved=action not in ("approve", "reject"))
    device = Device.objects.create(user=resident, mac="AA:BB:CC:11:22:44")
    _prepare(resident, action, closed_port)
    if action == "devices_remove":
        fields = {**fields, "devices": [device.pk]}
    refuse_audit_rows()
    before = _state(resident)
    page = _apply(staff_client, reverse("admin:accounts_user_do", args=[resident.pk, action]), **fields)
    assert page.status_code == 200
    assert "nothing changed" in page.content.decode() or "tidak ada yang berubah" in page.content.decode()
    assert _state(resident) == before


def test_komandan_approval_rolls_back_with_its_audit_row(staff_client, make_user):
    komandan = make_user(role=User.Role.KOMANDAN)
    request = quota_request_create(requester=komandan, kind="QUOTA", requested_bytes=GIB, requested_days=3)
    refuse_audit_rows()
    before = _state(komandan, request)
    _apply(staff_client, reverse("admin:quota_quotarequest_do", args=[request.pk, "request_approve"]))
    assert _state(komandan, request) == before


def test_audit_view_filters_by_action_and_exports_csv(staff_client, staff, make_user):
    resident = make_user(quota_bytes=GIB, full_name="Budi Santoso")
    _apply(
        staff_client,
        reverse("admin:accounts_user_do", args=[resident.pk, "block"]),
        reason="Uji, dengan koma",
    )
    url = reverse("admin:accounts_auditentry_changelist")
    page = staff_client.get(url, {"action": "user.block"})
    assert page.status_code == 200
    assert [e.action for e in page.context["cl"].result_list] == ["user.block"]
    csv_response = staff_client.get(url, {"action": "user.block", "format": "csv"})
    body = b"".join(csv_response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("created_at,actor,action,target_user")
    assert len(lines) == 2 and "user.block" in lines[1] and '"Uji, dengan koma"' in lines[1]
    assert staff.phone in lines[1] and resident.phone in lines[1]
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert json.loads(row["before"])["is_blocked"] is False
    assert json.loads(row["after"])["is_blocked"] is True


def test_audit_view_filters_by_actor_target_and_date(staff_client, staff, make_user):
    resident = make_user(quota_bytes=GIB, full_name="Citra Lestari")
    _apply(staff_client, reverse("admin:accounts_user_do", args=[resident.pk, "block"]), reason="Uji")
    url = reverse("admin:accounts_auditentry_changelist")
    by_actor = staff_client.get(url, {"actor": staff.pk}).context["cl"].result_list
    assert {e.actor_id for e in by_actor} == {staff.pk}
    by_system = staff_client.get(url, {"actor": "system"}).context["cl"].result_list
    assert all(e.actor_id is None for e in by_system) and by_system
    by_target = staff_client.get(url, {"q": "Citra"}).context["cl"].result_list
    assert by_target and {e.target_user_id for e in by_target} == {resident.pk}
    # As the admin's own date filter links do: midnight in the institution's zone, with its offset.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    by_date = staff_client.get(
        url,
        {
            "created_at__gte": str(midnight - timedelta(days=1)),
            "created_at__lt": str(midnight + timedelta(days=1)),
        },
    )
    assert by_date.status_code == 200 and len(by_date.context["cl"].result_list) >= 1


def test_audit_entries_cannot_be_changed_or_deleted(staff_client, make_user):
    resident = make_user(quota_bytes=GIB)
    entry = AuditEntry.objects.filter(target_user=resident).first()
    change = staff_client.post(
        reverse("admin:accounts_auditentry_change", args=[entry.pk]), {"action": "forged"}
    )
    delete = staff_client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    entry.refresh_from_db()
    assert entry.action != "forged" and change.status_code == 403 and delete.status_code == 403


def test_daily_cleanup_removes_old_unapproved_registrations_only(make_user, settings):
    settings.UNAPPROVED_REGISTRATION_MAX_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    stale = make_user(approved=False, date_joined=old)
    rejected = make_user(approved=False, approval_status=User.Approval.REJECTED, date_joined=old)
    recent = make_user(approved=False, date_joined=timezone.now() - timedelta(days=29))
    approved_long_ago = make_user(date_joined=old)
    assert registrations_purge() == 2
    remaining = set(User.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining and rejected.pk not in remaining
    assert {recent.pk, approved_long_ago.pk} <= remaining
    purged = AuditEntry.objects.filter(action="user.purge_unapproved")
    assert sorted(e.before["phone"] for e in purged) == sorted([stale.phone, rejected.phone])
