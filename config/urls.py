"""URLs of a tenant's host (<slug>.<PLATFORM_DOMAIN> or a custom domain).

The platform's own host uses config/urls_platform.py (chosen by
tenants.middleware.TenantMiddleware).
"""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from accounts.views import console as accounts_console
from notifications import api as notifications_api
from tenants.views import platform, public

api_v1 = [
    path("me", accounts_api.MeView.as_view(), name="me"),
    path("console/team", accounts_api.TeamListView.as_view(), name="team-list"),
    path(
        "console/team/<uuid:public_id>",
        accounts_api.TeamMemberView.as_view(),
        name="team-member",
    ),
    *notifications_api.urlpatterns,
]

console = [
    path("", accounts_console.console_home, name="home"),
    path("team/", accounts_console.team, name="team"),
    path("team/<uuid:public_id>/", accounts_console.member_detail, name="member"),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("console/", include((console, "console"))),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", platform.healthz, name="healthz"),
]

handler400 = "tenants.views.errors.bad_request"
handler403 = "tenants.views.errors.permission_denied"
handler404 = "tenants.views.errors.page_not_found"
handler500 = "tenants.views.errors.server_error"
