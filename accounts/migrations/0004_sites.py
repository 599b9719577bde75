import django.db.models.deletion
from django.db import migrations, models

import sites.models


def to_default_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    site = Site.objects.get(is_default=True)
    apps.get_model("accounts", "Block").objects.update(site=site)
    apps.get_model("accounts", "TampingType").objects.update(site=site)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_otp_code"),
        ("sites", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="block",
            name="site",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="blocks", to="sites.site",
                verbose_name="site",
            ),
        ),
        migrations.AddField(
            model_name="tampingtype",
            name="site",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="tamping_types",
                to="sites.site", verbose_name="site",
            ),
        ),
        migrations.RunPython(to_default_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="block",
            name="site",
            field=models.ForeignKey(
                default=sites.models.default_site_id,
                on_delete=django.db.models.deletion.PROTECT, related_name="blocks", to="sites.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(
            model_name="tampingtype",
            name="site",
            field=models.ForeignKey(
                default=sites.models.default_site_id,
                on_delete=django.db.models.deletion.PROTECT, related_name="tamping_types", to="sites.site",
                verbose_name="site",
            ),
        ),
        migrations.AlterField(model_name="block", name="name", field=models.CharField(max_length=20, verbose_name="name")),
        migrations.AlterField(
            model_name="tampingtype", name="name", field=models.CharField(max_length=60, verbose_name="name")
        ),
        migrations.AlterModelOptions(
            name="block",
            options={"ordering": ["site__name", "name"], "verbose_name": "block", "verbose_name_plural": "blocks"},
        ),
        migrations.AlterModelOptions(
            name="tampingtype",
            options={
                "ordering": ["site__name", "name"],
                "verbose_name": "tamping type",
                "verbose_name_plural": "tamping types",
            },
        ),
        migrations.AddConstraint(
            model_name="block",
            constraint=models.UniqueConstraint(fields=("site", "name"), name="block_name_unique_in_site"),
        ),
        migrations.AddConstraint(
            model_name="tampingtype",
            constraint=models.UniqueConstraint(fields=("site", "name"), name="tamping_name_unique_in_site"),
        ),
        migrations.AddField(
            model_name="user",
            name="staff_sites",
            field=models.ManyToManyField(
                blank=True,
                help_text="An admin limited to these sites sees and changes only their residents; none: every site.",
                related_name="staff",
                to="sites.site",
                verbose_name="sites managed",
            ),
        ),
    ]
