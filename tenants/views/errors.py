"""Error pages in the tenant's look (or the platform's), JSON under /api/."""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.errors import error_body
from core.views import refusal, wants_json


def _page(request, template: str, status: int, code: str, message: str):
    if wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    try:
        body = loader.render_to_string(template, {"status": status}, request=request)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>"
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
    return _page(request, "500.html", 500, "server_error", _("Something went wrong on our side."))


def unknown_host(request):
    """A host that no tenant uses: a plain 404 that names no tenant."""
    body = loader.render_to_string("tenants/unknown_host.html", {})
    return HttpResponse(body, status=404)
