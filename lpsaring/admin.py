"""The admin site's titles. Each app registers its own admins; the dashboard is the admin index."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("lpsaring administration")
admin.site.site_title = _("lpsaring")
admin.site.index_title = _("Dashboard")
# The model list beside every page takes a fifth of a 1366 px laptop screen and hides list columns; the
# dashboard and the breadcrumbs lead everywhere instead.
admin.site.enable_nav_sidebar = False
