"""Project-level admin: the user admin (it needs quota, billing and routers, which accounts may not
import), the dashboard on the admin index and the site titles."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lpsaring.admin import users  # noqa: F401 - registers the user admin

admin.site.site_header = _("lpsaring administration")
admin.site.site_title = _("lpsaring")
admin.site.index_title = _("Dashboard")
