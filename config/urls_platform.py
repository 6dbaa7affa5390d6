"""URLs of the platform's own host (PLATFORM_DOMAIN): landing page, operators,
and the sign-in host every OAuth callback lands on (accounts/signin.py)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts import urls as accounts_urls
from tenants import urls as tenants_urls
from tenants.views import platform

admin.site.site_header = _("Ruche operators")
admin.site.site_title = _("Ruche operators")

urlpatterns = [
    path("", platform.landing, name="landing"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    *accounts_urls.platform_urls,
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", platform.healthz, name="healthz"),
    path("readyz", platform.readyz, name="readyz"),
    path("metrics", platform.metrics, name="metrics"),
    path("internal/tls-allowed", platform.tls_allowed, name="tls_allowed"),
    *tenants_urls.installable_urls,
]

handler400 = "tenants.views.errors.bad_request"
handler403 = "tenants.views.errors.permission_denied"
handler404 = "tenants.views.errors.page_not_found"
handler500 = "tenants.views.errors.server_error"
