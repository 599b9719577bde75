"""The staff groups ADMIN and SUPER_ADMIN with their permissions.

Permissions are created by post_migrate, after every migration has run; on a fresh database they do not
exist yet here, so they are created first (the documented create_permissions idiom). Models added by
later migrations get their group permissions in those migrations.
"""

from django.db import migrations

APPS = ("accounts", "quota", "billing", "routers")

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
    "billing.package": ("view",),
    "billing.transaction": ("view",),
    "billing.transactionevent": ("view",),
    "routers.router": ("view",),
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="ADMIN")
    super_admin, _ = Group.objects.get_or_create(name="SUPER_ADMIN")

    wanted = []
    for label, actions in ADMIN_PERMISSIONS.items():
        app_label, model = label.split(".")
        wanted += list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    admin.permissions.set(wanted)
    super_admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=(*APPS, "auth"))
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["ADMIN", "SUPER_ADMIN"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0002_room_block_composite_fk"),
        ("quota", "0002_balance_guard_rate"),
        ("billing", "0001_initial"),
        ("routers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
