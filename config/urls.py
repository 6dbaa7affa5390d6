"""URLs of a tenant's host (<slug>.<PLATFORM_DOMAIN> or a custom domain).

The platform's own host uses config/urls_platform.py (chosen by
tenants.middleware.TenantMiddleware).
"""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import urls as accounts_urls
from campaigns import urls as campaigns_urls
from campaigns.views import public as campaigns_public
from ideas import urls as ideas_urls
from insights import urls as insights_urls
from integrations import urls as integrations_urls
from juries import urls as juries_urls
from notifications import api as notifications_api
from rewards import urls as rewards_urls
from tenants import urls as tenants_urls
from tenants.views import platform
from voting import urls as voting_urls

api_v1 = [
    *campaigns_urls.api_urls,
    *ideas_urls.api_urls,
    *voting_urls.api_urls,
    *juries_urls.api_urls,
    *rewards_urls.api_urls,
    *accounts_urls.api_urls,
    *notifications_api.urlpatterns,
    *integrations_urls.api_urls,
    *insights_urls.api_urls,
]

console = [
    *campaigns_urls.console_urls,  # first: the console's home is the challenges overview
    *accounts_urls.console_urls,
    *ideas_urls.console_urls,
    *voting_urls.console_urls,
    *juries_urls.console_urls,
    *rewards_urls.console_urls,
    *integrations_urls.console_urls,
    *insights_urls.console_urls,
]

urlpatterns = [
    path("", campaigns_public.home, name="home"),
    path("challenges/", include((campaigns_urls.public_urls, "campaigns"))),
    path("embed/challenges/", include((campaigns_urls.embed_urls, "campaigns_embed"))),
    path("oembed", integrations_urls.oembed, name="oembed"),
    # Ideas under /challenges/<slug>/ideas/ and /ideas/, sitemap.xml, robots.txt.
    path("", include((ideas_urls.public_urls, "ideas"))),
    # The vote button's endpoints under /ideas/<id>/vote/, rankings under /challenges/.
    path("", include((voting_urls.public_urls, "voting"))),
    path("console/", include((console, "console"))),
    path("jury/", include((juries_urls.jury_urls, "jury"))),
    # Winners and leaderboards under /challenges/, /leaderboard/, a winner's /me/payouts/.
    path("", include((rewards_urls.public_urls, "rewards"))),
    *accounts_urls.signin_buttons,  # before allauth's: sign-in goes through the sign-in host
    path("accounts/", include("allauth.urls")),
    *accounts_urls.public_urls,
    path("notifications/", include("notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", platform.healthz, name="healthz"),
    path("readyz", platform.readyz, name="readyz"),
    *tenants_urls.installable_urls,
]

# Uploaded media under `make run` (DEBUG only: `static()` adds nothing otherwise);
# production serves them from S3-compatible storage or the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "tenants.views.errors.bad_request"
handler403 = "tenants.views.errors.permission_denied"
handler404 = "tenants.views.errors.page_not_found"
handler500 = "tenants.views.errors.server_error"
