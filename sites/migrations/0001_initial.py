import django.core.validators
from django.conf import settings
from django.db import migrations, models

import sites.models


def create_default_site(apps, schema_editor):
    """Existing installs keep working: the settings become the default site's values."""
    Site = apps.get_model("sites", "Site")
    Site.objects.get_or_create(
        is_default=True,
        defaults={
            "name": settings.SITE_NAME,
            "code": "UTAMA",
            "time_zone": settings.TIME_ZONE,
            "client_cidrs": "\n".join(settings.HOTSPOT_CLIENT_CIDRS),
            "login_hosts": "\n".join(settings.HOTSPOT_LOGIN_HOSTS),
        },
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Site",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                (
                    "code",
                    models.CharField(
                        help_text="Short code for invoice numbers, e.g. LPS-A.",
                        max_length=12,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9][A-Z0-9-]*$", "Use capital letters, digits and dashes."
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        max_length=60, validators=[sites.models.validate_time_zone], verbose_name="time zone"
                    ),
                ),
                (
                    "client_cidrs",
                    models.TextField(
                        help_text="One subnet per line.",
                        validators=[sites.models.validate_cidrs],
                        verbose_name="hotspot client subnets",
                    ),
                ),
                (
                    "login_hosts",
                    models.TextField(
                        blank=True,
                        help_text="Host names of the hotspot login page, one per line.",
                        verbose_name="hotspot login hosts",
                    ),
                ),
                ("is_default", models.BooleanField(default=False, verbose_name="default site")),
            ],
            options={"verbose_name": "site", "verbose_name_plural": "sites", "ordering": ["name"]},
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)), fields=("is_default",), name="one_default_site"
            ),
        ),
        migrations.RunPython(create_default_site, migrations.RunPython.noop),
    ]
