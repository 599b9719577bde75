"""Who may do what in the admin: a matrix over roles and actions, both the allowed and the refused."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.permissions import StaffAction, staff_may
from core.units import GIB
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


# --- every registered model and every action, per role ----------------------------------------------

RESIDENT_ACTIONS = {
    "approve",
    "reject",
    "block",
    "unblock",
    "inject",
    "unlimited_set",
    "unlimited_revoke",
    "devices_remove",
    "router_reset",
    "debt_grant",
    "debt_grant_package",
    "debt_settle_cash",
    "debt_forgive",
}
# model: (ADMIN's view/add/change/delete, ADMIN's actions, SUPER_ADMIN's flags, SUPER_ADMIN's actions)
MODEL_MATRIX = {
    "accounts.User": ("v-c-", RESIDENT_ACTIONS, "vacd", RESIDENT_ACTIONS),
    "accounts.Block": ("vac-", set(), "vacd", {"delete_selected"}),
    "accounts.Room": ("vac-", set(), "vacd", {"delete_selected"}),
    "accounts.TampingType": ("vac-", set(), "vacd", {"delete_selected"}),
    "accounts.Device": ("v---", set(), "v---", set()),  # removed through the resident page only
    "accounts.AuditEntry": ("v---", {"export_csv"}, "v---", {"export_csv"}),  # nobody edits history
    "quota.QuotaEntry": ("v---", set(), "v---", set()),
    "quota.QuotaBalance": ("v---", set(), "v---", set()),
    "quota.DailyUsage": ("v---", set(), "v---", set()),
    "quota.QuotaRequest": (
        "v-c-",
        {"request_approve", "request_reject"},
        "v-c-",
        {"request_approve", "request_reject"},
    ),
    "quota.DebtItem": ("v-c-", {"send_reminder"}, "v-c-", {"send_reminder"}),
    "quota.Invoice": ("v---", set(), "v-c-", set()),
    "billing.Package": ("v---", set(), "vacd", {"delete_selected"}),
    "billing.Transaction": (
        "v---",
        set(),
        "v-c-",
        {"check_with_midtrans", "close_review", "quota_take_back"},
    ),
    # Checking a router and converging it to the database are operations, not settings.
    "routers.Router": (
        "v---",
        {"check_now", "converge_now"},
        "vacd",
        {"check_now", "converge_now", "delete_selected"},
    ),
    "sites.Site": ("v---", set(), "vacd", {"delete_selected"}),  # sites are settings
    "routers.FreeRider": ("v-c-", {"block_mac"}, "v-c-", {"block_mac"}),
    "routers.WalledGardenAddress": ("v---", set(), "v---", set()),
    "quota.Promo": ("v---", set(), "vacd", {"delete_selected"}),
    "quota.Announcement": ("vac-", set(), "vacd", {"delete_selected"}),
    "quota.Broadcast": ("----", set(), "va--", set()),  # everyone at once: SUPER_ADMIN only
    "core.WhatsAppMessage": ("----", set(), "v-c-", {"send_again"}),  # no site on messages: SUPER_ADMIN only
    "auth.Group": ("----", set(), "vacd", {"delete_selected"}),
    "django_q.Schedule": ("----", set(), "vacd", {"delete_selected"}),
    "django_q.Success": ("----", set(), "v-cd", {"delete_selected", "resubmit_task"}),
    "django_q.Failure": ("----", set(), "v-cd", {"delete_selected", "resubmit_task"}),
    "django_q.OrmQ": ("----", set(), "v-cd", {"delete_selected"}),
}


def _admin_rights(user, model_admin) -> tuple[str, set]:
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user, request.session = user, {}
    request._messages = FallbackStorage(request)
    flags = "".join(
        letter if getattr(model_admin, f"has_{name}_permission")(request) else "-"
        for letter, name in zip("vacd", ("view", "add", "change", "delete"), strict=True)
    )
    actions = set(model_admin.get_actions(request)) if flags[0] == "v" else set()
    return flags, actions


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_model_and_action_per_role(people, role):
    from django.contrib import admin

    actor = people[role]
    actor.is_superuser = role == "SUPER_ADMIN"  # as staff_account_create and user_set_role leave it
    actor.save(update_fields=["is_superuser"])
    registered = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    assert set(registered) == set(MODEL_MATRIX), "a model was added to the admin: give it a row here"
    for label, (admin_flags, admin_actions, super_flags, super_actions) in MODEL_MATRIX.items():
        expected = {
            "ADMIN": (admin_flags, admin_actions),
            "SUPER_ADMIN": (super_flags, super_actions),
        }.get(role, ("----", set()))
        assert _admin_rights(actor, registered[label]) == expected, label


# --- an ADMIN cannot make themselves or anyone else more powerful -----------------------------------


@pytest.mark.django_db
def test_an_admin_cannot_raise_a_residents_role_by_posting_it(client, people):
    client.force_login(people["ADMIN"])
    target = people["resident"]
    _change(client, target, role="SUPER_ADMIN", full_name="Nama Baru")
    target.refresh_from_db()
    assert target.full_name == "Nama Baru"  # the edit went through...
    assert target.role == "USER" and not target.is_superuser  # ...without the role


@pytest.mark.django_db
def test_an_admin_cannot_edit_their_own_account(client, people):
    me = people["ADMIN"]
    client.force_login(me)
    response = _change(client, me, role="SUPER_ADMIN", full_name="Saya Super")
    me.refresh_from_db()
    assert response.status_code == 403
    assert (me.role, me.full_name, me.is_superuser) == ("ADMIN", people["ADMIN"].full_name, False)


@pytest.mark.django_db
def test_an_admin_cannot_create_a_super_admin_or_touch_groups(client, people):
    from django.contrib.auth.models import Group

    client.force_login(people["ADMIN"])
    add = client.post(
        reverse("admin:accounts_user_add"),
        {
            "phone_input": "081299998888",
            "full_name": "Super Palsu",
            "role": "SUPER_ADMIN",
            "password": "Kuat-77-x",
        },
    )
    assert add.status_code == 403 and not User.objects.filter(phone="+6281299998888").exists()
    group = Group.objects.get(name="SUPER_ADMIN")
    edit = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "SUPER_ADMIN"})
    assert edit.status_code == 403
    assert not people["ADMIN"].groups.exists() and not people["ADMIN"].has_perm("auth.change_group")
