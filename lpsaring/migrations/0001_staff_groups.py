"""The staff groups ADMIN and SUPER_ADMIN with their permissions (the table is lpsaring/groups.py).

Permissions are created by post_migrate, after every migration has run; on a fresh database they do not
exist yet here, so they are created first (the documented create_permissions idiom). After every later
`migrate`, a post_migrate receiver brings the groups up to date with the table.
"""

from django.db import migrations

from lpsaring.groups import staff_groups_sync

def create_groups(apps, schema_editor):
    # The documented idiom runs inside the migration, with the migration's historical apps.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    staff_groups_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


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
