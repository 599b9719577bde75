"""Resident actions from the admin: confirmation page first, then one service call, audited."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Device, User
from core.units import GIB, MIB
from quota.models import QuotaBalance, QuotaEntry

pytestmark = pytest.mark.django_db


def do_url(user, action):
    return reverse("admin:accounts_user_do", args=[user.pk, action])


def confirm(client, user, action, **fields):
    """Walk the confirmation page: show it, preview with the fields, then confirm."""
    url = do_url(user, action)
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["token"].value()
    data = {"token": token, **fields}
    preview = client.post(url, {**data, "_lps_step": "preview"})
    assert preview.status_code == 200, preview.content
    assert preview.context["preview_ready"], preview.context["form"].errors
    return preview, client.post(url, {**data, "_lps_step": "apply"})


def test_the_confirmation_page_shows_what_will_change_and_changes_nothing(staff_client, make_user):
    resident = make_user(quota_bytes=1 * GIB)
    url = do_url(resident, "inject")
    token = staff_client.get(url).context["form"]["token"].value()
    page = staff_client.post(
        url,
        {
            "token": token,
            "amount": "2",
            "unit": "GB",
            "days": "30",
            "reason": "Bonus",
            "_lps_step": "preview",
        },
    )
    text = page.content.decode()
    assert "1,00 GB" in text and "3,00 GB" in text
    assert QuotaBalance.objects.get(user=resident).remaining_bytes == 1 * GIB
    assert not AuditEntry.objects.filter(action="quota.inject").exists()


def test_inject_adds_quota_once_even_when_confirmed_twice(
    staff_client, make_user, outbox, django_capture_on_commit_callbacks
):
    resident = make_user(quota_bytes=1 * GIB)
    url = do_url(resident, "inject")
    token = staff_client.get(url).context["form"]["token"].value()
    data = {
        "token": token,
        "amount": "512",
        "unit": "MB",
        "days": "7",
        "reason": "Bonus",
        "_lps_step": "apply",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(url, data)
        second = staff_client.post(url, data)  # a double click on "Yes, I am sure"
    assert first.status_code == second.status_code == 302
    balance = QuotaBalance.objects.get(user=resident)
    assert balance.remaining_bytes == 1 * GIB + 512 * MIB
    assert QuotaEntry.objects.filter(user=resident, kind="inject").count() == 1
    audit = AuditEntry.objects.get(action="quota.inject")
    assert audit.actor.role == User.Role.SUPER_ADMIN and audit.target_user == resident
    assert len([m for m in outbox if m["phone"] == resident.phone]) == 1


def test_approve_grants_initial_quota_and_sends_whatsapp(
    staff_client, make_user, outbox, settings, django_capture_on_commit_callbacks
):
    settings.INITIAL_QUOTA_BYTES = 500 * MIB
    pending = make_user(approved=False)
    with django_capture_on_commit_callbacks(execute=True):
        _, done = confirm(staff_client, pending, "approve")
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.approval_status == User.Approval.APPROVED
    assert QuotaBalance.objects.get(user=pending).remaining_bytes == 500 * MIB
    assert AuditEntry.objects.filter(action="user.approve", target_user=pending).count() == 1
    assert [m["phone"] for m in outbox] == [pending.phone]


def test_approval_without_initial_quota_tells_the_resident_to_buy_a_package(
    staff_client, make_user, outbox, settings, django_capture_on_commit_callbacks
):
    settings.INITIAL_QUOTA_BYTES = 0
    pending = make_user(approved=False)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, pending, "approve")
    [message] = [m["text"] for m in outbox if m["phone"] == pending.phone]
    assert "beli paket" in message
    assert "0 B" not in message and "sampai -" not in message


def test_bulk_reject_needs_a_reason_and_tells_each_resident(
    staff_client, make_user, outbox, django_capture_on_commit_callbacks
):
    first, second = make_user(approved=False), make_user(approved=False)
    changelist = reverse("admin:accounts_user_changelist")
    selection = {"action": "reject", "_selected_action": [first.pk, second.pk], "index": "0"}
    page = staff_client.post(changelist, selection)
    assert page.status_code == 200 and "reason" in page.context["form"].fields
    token = page.context["form"]["token"].value()
    no_reason = staff_client.post(
        changelist, {**selection, "token": token, "_lps_step": "apply", "reason": ""}
    )
    assert no_reason.status_code == 200
    assert User.objects.filter(approval_status=User.Approval.REJECTED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            changelist, {**selection, "token": token, "_lps_step": "apply", "reason": "Data tidak lengkap"}
        )
    assert User.objects.filter(approval_status=User.Approval.REJECTED).count() == 2
    assert sorted(m["phone"] for m in outbox) == sorted([first.phone, second.phone])


def test_block_then_unblock_with_reasons(staff_client, make_user, outbox, django_capture_on_commit_callbacks):
    resident = make_user(quota_bytes=GIB)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, resident, "block", reason="Melanggar aturan")
    resident.refresh_from_db()
    assert resident.is_blocked and resident.blocked_reason == "Melanggar aturan"
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff_client, resident, "unblock", reason="Sudah dibina")
    resident.refresh_from_db()
    assert not resident.is_blocked
    actions = list(AuditEntry.objects.filter(target_user=resident).values_list("action", flat=True))
    assert "user.block" in actions and "user.unblock" in actions
    assert len(outbox) == 2


def test_set_and_revoke_unlimited(staff_client, make_user):
    resident = make_user(quota_bytes=GIB)
    confirm(staff_client, resident, "unlimited_set", days="10", reason="Tugas khusus")
    assert QuotaBalance.objects.get(user=resident).is_unlimited
    confirm(staff_client, resident, "unlimited_revoke", reason="Selesai")
    assert not QuotaBalance.objects.get(user=resident).is_unlimited


def test_remove_chosen_devices_only(staff_client, make_user):
    resident = make_user(quota_bytes=GIB)
    kept = Device.objects.create(user=resident, mac="AA:BB:CC:00:00:01")
    removed = Device.objects.create(user=resident, mac="AA:BB:CC:00:00:02")
    confirm(staff_client, resident, "devices_remove", devices=[removed.pk], reason="HP hilang")
    assert list(Device.objects.filter(user=resident)) == [kept]
    assert AuditEntry.objects.filter(action="device.remove", target_user=resident).count() == 1


def test_an_action_that_does_not_fit_the_state_is_refused_on_the_page(staff_client, make_user):
    resident = make_user()  # approved already
    page = staff_client.get(do_url(resident, "approve"))
    assert page.context["allowed_count"] == 0
    assert (
        "Yes, I am sure" not in page.content.decode()
        and "Ya" not in page.content.decode().split("lps-preview")[1]
    )


def test_resident_page_shows_status_balance_devices_ledger_and_a_router_note(staff_client, make_user):
    resident = make_user(quota_bytes=2 * GIB)
    Device.objects.create(user=resident, mac="AA:BB:CC:00:00:09", label="HP Andi")
    page = staff_client.get(reverse("admin:accounts_user_change", args=[resident.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2,00 GB" in text and "AA:BB:CC:00:00:09" in text and "HP Andi" in text
    assert page.context["lps_resident"]["status"] == "ok"


def test_super_admin_adds_a_staff_account_and_a_resident_through_the_services(staff_client, room):
    url = reverse("admin:accounts_user_add")
    staff_client.post(
        url,
        {
            "phone_input": "081299990001",
            "full_name": "Admin Baru",
            "role": "ADMIN",
            "password": "Kuat-Sekali-77",
        },
    )
    staff_client.post(
        url, {"phone_input": "081299990002", "full_name": "Warga Baru", "role": "USER", "room": room.pk}
    )
    admin_user = User.objects.get(phone="+6281299990001")
    assert admin_user.role == "ADMIN" and admin_user.check_password("Kuat-Sekali-77")
    assert User.objects.get(phone="+6281299990002").approval_status == User.Approval.PENDING
    assert AuditEntry.objects.filter(action="user.create_staff", target_user=admin_user).exists()
    again = staff_client.post(url, {"phone_input": "0812-9999-0001", "full_name": "Dobel", "role": "USER"})
    assert again.status_code == 200 and User.objects.filter(full_name="Dobel").count() == 0


def test_a_second_block_of_a_blocked_resident_changes_nothing_and_sends_nothing(
    staff, make_user, outbox, django_capture_on_commit_callbacks
):
    """Two staff members whose pages both showed "not blocked": the one who comes second is refused
    under the row lock, so the first reason, one audit row and one WhatsApp message stand."""
    from django.core.exceptions import ValidationError

    from quota.residents import resident_block

    resident = make_user(quota_bytes=GIB)
    with django_capture_on_commit_callbacks(execute=True):
        resident_block(user=resident, actor=staff, reason="Pertama")
        with pytest.raises(ValidationError) as refused:
            resident_block(user=resident, actor=staff, reason="Kedua")
    assert refused.value.code == "already_blocked"
    resident.refresh_from_db()
    assert resident.blocked_reason == "Pertama"
    assert AuditEntry.objects.filter(action="user.block", target_user=resident).count() == 1
    assert len(outbox) == 1
