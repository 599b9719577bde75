from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing.api import PackageListView
from lpsaring.health import healthz
from portal.urls import captive_patterns, komandan_patterns, resident_patterns
from portal.views.resident import landing
from quota.api import MeView

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    # Staff set their password here (imported staff get this link by WhatsApp; Django's reset token).
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("billing/", include("billing.urls")),
    path("captive/", include(captive_patterns)),
    path("akun/", include(resident_patterns)),
    path("komandan/", include(komandan_patterns)),
    path("api/me/", MeView.as_view(), name="api-me"),
    path("api/packages/", PackageListView.as_view(), name="api-packages"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
