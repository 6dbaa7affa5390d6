"""Host → tenant, and the tenant scope around everything the request does."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django_scopes import scope, scopes_disabled

from core.observability import bind
from tenants.selectors import is_platform_host, normalise_host, tenant_for_host
from tenants.views.errors import page_not_found, service_unavailable, unknown_host

# Paths answered on any host (load balancers probe by IP or internal name).
HOST_INDEPENDENT_PATHS = ("/healthz", "/readyz")
# The operators' metrics and the TLS proxy's question: on the platform's host
# or an internal name (a scraper or the proxy reaches a process by IP or
# service name), never on a tenant's host, where the path is just not found.
OPERATORS_PATHS = ("/metrics", "/internal/tls-allowed")


class TenantMiddleware:
    """Sets `request.tenant` (None on the platform's own host) and runs the rest of
    the request inside `scope(tenant=…)`, so a query on tenant-owned rows can only
    see that tenant's. An unknown host is a plain 404; a suspended tenant's host a
    503 "temporarily unavailable" page.

    The platform host serves the landing page and the operator area (Django
    admin). The admin is where operators manage every tenant, so it runs with
    scopes disabled: one of the few reviewed places that do.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        if request.path_info.startswith(HOST_INDEPENDENT_PATHS):
            with scope(tenant=None):
                return self.get_response(request)

        host = normalise_host(request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", ""))
        if request.path_info in OPERATORS_PATHS and tenant_for_host(host) is None:
            request.urlconf = settings.PLATFORM_URLCONF
            with scope(tenant=None):
                return self.get_response(request)
        if is_platform_host(host):
            request.urlconf = settings.PLATFORM_URLCONF
            if request.path_info.startswith("/admin/"):
                with scopes_disabled():
                    return self.get_response(request)
            with scope(tenant=None):
                return self.get_response(request)

        tenant = tenant_for_host(host)
        if tenant is None:
            return unknown_host(request)
        request.tenant = tenant
        bind(tenant=tenant.slug)  # on every line logged during the request
        if not tenant.is_active:
            with translation.override(tenant.default_language):
                return service_unavailable(request, template="tenants/suspended.html")
        with scope(tenant=tenant):
            return self.get_response(request)


class BrandedNotFoundInDebugMiddleware:
    """With DEBUG on (the demo, `make run`), Django answers a missing page with
    its English technical page listing the URLs. Visitors of the demo should see
    what they would see in production: the brand's 404, in its language. Set
    DEBUG_TECHNICAL_404=true to get Django's page back while developing.

    Innermost in MIDDLEWARE: a view's Http404 is caught on its way out
    (process_exception); a path no URL matches leaves `request.resolver_match`
    unset, and its (technical) 404 is replaced on the way back."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)

    def __call__(self, request):
        response = self.get_response(request)
        if (
            self._active()
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if self._active() and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
