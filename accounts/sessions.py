"""A signed-in session belongs to the host it was opened on.

Session cookies are host-only (no SESSION_COOKIE_DOMAIN), so a browser never
sends one brand's cookie to another brand's host. A copied cookie is another
matter: the session store is shared, so without a check it would sign its
bearer in on every brand's site and on the platform's host. Each session
therefore records, at sign-in, the tenant it was opened for (None: the
platform's host), and SessionTenantMiddleware treats a session opened
elsewhere — or before this rule, with no record — as signed out.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser

SESSION_TENANT_KEY = "ruche_tenant"
_MISSING = object()


def bind_session(request) -> None:
    """Record the request's tenant in its session (at sign-in)."""
    tenant = request.tenant
    request.session[SESSION_TENANT_KEY] = tenant.pk if tenant is not None else None


def on_user_logged_in(sender, request, user, **kwargs):
    # Only requests that went through TenantMiddleware know their tenant; a
    # programmatic login (the test client's force_login) leaves the session
    # unbound, hence signed out until it is bound.
    if request is not None and hasattr(request, "tenant") and hasattr(request, "session"):
        bind_session(request)


class SessionTenantMiddleware:
    """After AuthenticationMiddleware: a session opened for another tenant (or
    host) is replaced, for this request, by a fresh anonymous one. The foreign
    session itself is left alone (its cookie is dropped from this host)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            tenant = getattr(request, "tenant", None)
            expected = tenant.pk if tenant is not None else None
            if session.get(SESSION_TENANT_KEY, _MISSING) != expected:
                request.session = self.session_store()
                request.user = AnonymousUser()
        return self.get_response(request)
