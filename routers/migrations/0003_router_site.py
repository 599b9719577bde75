import django.db.models.deletion
from django.db import migrations, models

import sites.models


def to_default_site(apps, schema_editor):
    site = apps.get_model("sites", "Site").objects.get(is_default=True)
    apps.get_model("routers", "Router").objects.update(site=site)


class Migration(migrations.Migration):
    dependencies = [
        ("routers", "0002_router_port_range"),
        ("sites", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="router",
            name="site",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="routers", to="sites.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(to_default_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="router",
            name="site",
            field=models.ForeignKey(
                default=sites.models.default_site_id,
                on_delete=django.db.models.deletion.PROTECT, related_name="routers", to="sites.site",
                verbose_name="site",
            ),
        ),
    ]
