"""Who may do what in the admin: a matrix over roles and actions, both the allowed and the refused."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.staff_policy import StaffAction, staff_may
from lpsaring.units import GIB
from quota.komandan import quota_request_create
from quota.models import QuotaBalance, QuotaRequest

ROLES = ["USER", "KOMANDAN", "ADMIN", "SUPER_ADMIN"]


@pytest.mark.parametrize(
    ("actor", "action", "target", "allowed"),
    [
        ("USER", StaffAction.VIEW, None, False),
        ("KOMANDAN", StaffAction.RESIDENT, "USER", False),
        ("ADMIN", StaffAction.VIEW, "SUPER_ADMIN", True),
        ("ADMIN", StaffAction.RESIDENT, "USER", True),
        ("ADMIN", StaffAction.RESIDENT, "KOMANDAN", True),
        ("ADMIN", StaffAction.RESIDENT, "ADMIN", False),
        ("ADMIN", StaffAction.CHANGE, "USER", True),
        ("ADMIN", StaffAction.CHANGE, "ADMIN", False),
        ("ADMIN", StaffAction.BLOCK, "SUPER_ADMIN", False),
        ("ADMIN", StaffAction.DELETE, "ADMIN", False),
        ("ADMIN", StaffAction.SET_ROLE, "USER", False),
        ("ADMIN", StaffAction.SETTINGS, None, False),
        ("SUPER_ADMIN", StaffAction.CHANGE, "ADMIN", True),
        ("SUPER_ADMIN", StaffAction.DELETE, "SUPER_ADMIN", True),
        ("SUPER_ADMIN", StaffAction.SET_ROLE, "USER", True),
        ("SUPER_ADMIN", StaffAction.SETTINGS, None, True),
        ("SUPER_ADMIN", StaffAction.RESIDENT, "ADMIN", False),
    ],
)
def test_staff_policy_table(actor, action, target, allowed):
    assert staff_may(actor_role=actor, action=action, target_role=target) is allowed


# --- the same rules, end to end through the admin -------------------------------------------------


@pytest.fixture
def people(make_user):
    def person(role):
        return make_user(role=role, password="a-Long-pass-123", quota_bytes=GIB if role == "USER" else 0)

    return {role: person(role) for role in ROLES} | {"resident": make_user(quota_bytes=GIB)}


def _confirm(client, url, **fields):
    page = client.get(url)
    if page.status_code != 200 or not page.context.get("allowed_count"):
        return False
    token = page.context["form"]["token"].value()
    return client.post(url, {"token": token, "_lps_step": "apply", **fields}).status_code == 302


def open_dashboard(client, people):
    return client.get(reverse("admin:index")).status_code == 200


def block_resident(client, people):
    target = people["resident"]
    _confirm(client, reverse("admin:accounts_user_do", args=[target.pk, "block"]), reason="uji")
    target.refresh_from_db()
    return target.is_blocked


def inject_quota(client, people):
    target = people["resident"]
    url = reverse("admin:accounts_user_do", args=[target.pk, "inject"])
    _confirm(client, url, amount="1", unit="GB", days="5", reason="uji")
    return QuotaBalance.objects.get(user=target).remaining_bytes == 2 * GIB


def approve_komandan_request(client, people):
    request = quota_request_create(
        requester=people["KOMANDAN"], kind="QUOTA", requested_bytes=GIB, requested_days=3
    )
    _confirm(client, reverse("admin:quota_quotarequest_do", args=[request.pk, "request_approve"]))
    return QuotaRequest.objects.get(pk=request.pk).status == "APPROVED"


def _change(client, target, **fields):
    data = {
        "full_name": target.full_name,
        "role": target.role,
        "is_active": "on",
        "room": target.room_id or "",
        "tamping_type": "",
        **fields,
    }
    return client.post(reverse("admin:accounts_user_change", args=[target.pk]), data)


def change_an_admin_account(client, people):
    target = people["ADMIN"]
    _change(client, target, full_name="Nama Baru Admin")
    target.refresh_from_db()
    return target.full_name == "Nama Baru Admin"


def deactivate_a_super_admin(client, people):
    target = people["SUPER_ADMIN"]
    data = {"full_name": target.full_name, "role": target.role, "room": "", "tamping_type": ""}
    client.post(reverse("admin:accounts_user_change", args=[target.pk]), data)  # is_active unticked
    target.refresh_from_db()
    return not target.is_active


def delete_an_admin_account(client, people):
    target = people["ADMIN"]
    client.post(reverse("admin:accounts_user_delete", args=[target.pk]), {"post": "yes"})
    return not User.objects.filter(pk=target.pk).exists()


def change_a_role(client, people):
    target = people["resident"]
    _change(client, target, role="KOMANDAN")
    target.refresh_from_db()
    return target.role == "KOMANDAN"


def change_permission_groups(client, people):
    return client.get(reverse("admin:auth_group_add")).status_code == 200


def read_the_audit_trail(client, people):
    return client.get(reverse("admin:accounts_auditentry_changelist")).status_code == 200


ACTIONS = {
    "open_dashboard": (open_dashboard, {"ADMIN", "SUPER_ADMIN"}),
    "block_resident": (block_resident, {"ADMIN", "SUPER_ADMIN"}),
    "inject_quota": (inject_quota, {"ADMIN", "SUPER_ADMIN"}),
    "approve_komandan_request": (approve_komandan_request, {"ADMIN", "SUPER_ADMIN"}),
    "read_the_audit_trail": (read_the_audit_trail, {"ADMIN", "SUPER_ADMIN"}),
    "change_an_admin_account": (change_an_admin_account, {"SUPER_ADMIN"}),
    "deactivate_a_super_admin": (deactivate_a_super_admin, {"SUPER_ADMIN"}),
    "delete_an_admin_account": (delete_an_admin_account, {"SUPER_ADMIN"}),
    "change_a_role": (change_a_role, {"SUPER_ADMIN"}),
    "change_permission_groups": (change_permission_groups, {"SUPER_ADMIN"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(client, people, role, action):
    run, allowed_roles = ACTIONS[action]
    actor = people[role]
    if action == "deactivate_a_super_admin" and role == "SUPER_ADMIN":
        actor = User.objects.create_user(
            "+6281199999999", "Super Dua", password="a-Long-pass-123", role="SUPER_ADMIN", is_superuser=True
        )
    client.force_login(actor)
    assert run(client, people) is (role in allowed_roles)


@pytest.mark.django_db
def test_staff_log_in_with_phone_in_local_form_and_password(client, make_user):
    make_user(role="ADMIN", phone="+6281277776666", password="a-Long-pass-123")
    response = client.post(
        reverse("admin:login"), {"username": "081277776666", "password": "a-Long-pass-123", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_komandan_with_a_password_cannot_log_in_to_the_admin(client, make_user):
    make_user(role="KOMANDAN", phone="+6281277775555", password="a-Long-pass-123")
    response = client.post(
        reverse("admin:login"), {"username": "081277775555", "password": "a-Long-pass-123"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert client.get(reverse("admin:index")).status_code == 302
