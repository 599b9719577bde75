"""The admin site's titles, and the staff groups' page. Each app registers its own admins; the dashboard is
the admin index."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("lpsaring administration")
admin.site.site_title = _("lpsaring")
admin.site.index_title = _("Dashboard")
# The model list beside every page takes a fifth of a 1366 px laptop screen and hides list columns; the
# dashboard and the breadcrumbs lead everywhere instead.
admin.site.enable_nav_sidebar = False

PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """'Akun | Dapat menambah pengguna'. Django stores a permission's name in English when it migrates, so
    the label is made again from its codename and the model's name in the active language (the model is
    named once, so the longest label still fits the selector at 1366 px)."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    text = PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name} | {text}"


admin.site.unregister(Group)


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field
