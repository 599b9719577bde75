"""The staff groups ADMIN and SUPER_ADMIN and the permissions each holds.

Created by lpsaring/migrations/0001_staff_groups.py and brought up to date after every `migrate` (a
post_migrate receiver), so permissions of models added later, and a test database flushed between
tests, always find the groups as this table says.
"""

from django.contrib.auth.models import Group, Permission

APPS = ("accounts", "quota", "billing", "routers", "sites")

# What an ADMIN may do per model; SUPER_ADMIN gets every permission of these apps plus groups and users.
ADMIN_PERMISSIONS = {
    "accounts.user": ("view", "change"),
    "accounts.device": ("view", "delete"),
    "accounts.block": ("view", "add", "change"),
    "accounts.room": ("view", "add", "change"),
    "accounts.tampingtype": ("view", "add", "change"),
    "accounts.auditentry": ("view",),
    "quota.quotaentry": ("view",),
    "quota.quotabalance": ("view",),
    "quota.dailyusage": ("view",),
    "quota.quotarequest": ("view", "change"),
    "quota.debtitem": ("view", "change"),  # change: the bulk reminder (the items are read-only)
    "quota.invoice": ("view",),
    "billing.package": ("view",),
    "billing.transaction": ("view",),
    "billing.transactionevent": ("view",),
    "routers.router": ("view",),
    "routers.freerider": ("view", "change"),  # change: block or register a free rider
    "routers.walledgardenaddress": ("view",),
    "quota.promo": ("view",),
    "quota.announcement": ("view", "add", "change"),
    "sites.site": ("view",),
}


def staff_groups_sync(group_model, permission_model) -> None:
    """Create the two groups if missing and set their permissions to the table's (idempotent)."""
    admin, _ = group_model.objects.get_or_create(name="ADMIN")
    super_admin, _ = group_model.objects.get_or_create(name="SUPER_ADMIN")
    wanted = []
    for label, actions in ADMIN_PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted += list(
            permission_model.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    admin.permissions.set(wanted)
    # core: the WhatsApp outbox page (messages carry no site, so ADMIN does not see it)
    super_admin.permissions.set(
        permission_model.objects.filter(content_type__app_label__in=(*APPS, "auth", "core"))
    )


def staff_groups_after_migrate(sender, **kwargs) -> None:
    staff_groups_sync(Group, Permission)
