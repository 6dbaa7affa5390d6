"""Error pages in the tenant's look (or the platform's), JSON under /api/.

400, 403 and 404 are ordinary pages (base.html: header, sign-in state). 500 and
503 are drawn by `standalone_page` from what the request already holds (its
tenant) and the active language: the database, the session or a context
processor may be what failed."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.errors import error_body
from core.views import refusal, wants_json


def _page(request, template: str, status: int, code: str, message: str):
    if wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    try:
        body = loader.render_to_string(template, {"status": status}, request=request)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        return standalone_page(request, status=status, code=code, message=message)
    return HttpResponse(body, status=status)


def standalone_page(request, *, status: int, code: str, message: str, template: str = ""):
    """An error page that needs no database, session or context processor."""
    if wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    tenant = getattr(request, "tenant", None)
    context = {
        "status": status,
        "brand": tenant,
        "tenant": tenant,
        "platform_name": settings.PLATFORM_NAME,
        "request": request,  # for the CSP nonce of the brand's colours only
    }
    language = translation.get_language()
    if tenant is not None and language not in tenant.languages:
        language = tenant.default_language  # an error before the language was chosen
    try:
        with translation.override(language):
            body = loader.render_to_string(template or f"{status}.html", context)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{escape(message)}</p>"
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    if getattr(request, "htmx", False) and not wants_json(request):
        message = _("The request was not understood.")
        return refusal(request, status=400, code="bad_request", message=message).render()
    return _page(request, "400.html", 400, "bad_request", _("The request was not understood."))


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403, "permission_denied", _("You may not do this."))


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, "not_found", _("This page does not exist."))


def server_error(request):
    message = _("Something went wrong on our side.")
    return standalone_page(request, status=500, code="server_error", message=message)


def service_unavailable(request, template: str = "503.html"):
    """503: the site is being updated or overloaded (or, with `template`, why)."""
    message = _("Temporarily unavailable.")
    response = standalone_page(
        request, status=503, code="unavailable", message=message, template=template
    )
    response["Retry-After"] = "300"
    return response


def unknown_host(request):
    """A host that no tenant uses: a plain 404 that names no tenant."""
    body = loader.render_to_string("tenants/unknown_host.html", {})
    return HttpResponse(body, status=404)
