"""Error pages in the tenant's look (or the platform's), JSON under /api/."""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from config.api import error_body


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def _page(request, template: str, status: int, code: str, message: str):
    if _wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    try:
        body = loader.render_to_string(template, {"status": status}, request=request)
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>"
    return HttpResponse(body, status=status)


def refusal(
    request, *, status: int, code: str, message: str, retry_after: int | None = None
) -> HttpResponse:
    """A request refused before its view could act, with the reason said: the
    API's JSON error under /api/; for htmx, the message in the page's alerts
    (whatever element asked); otherwise a page that says it."""
    if _wants_json(request):
        response = JsonResponse(error_body(code, message), status=status)
    elif getattr(request, "htmx", False):
        response = TemplateResponse(
            request, "partials/alert.html", {"message": message}, status=status
        )
        response["HX-Retarget"] = "#alerts"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = TemplateResponse(
            request, "refusal.html", {"status": status, "message": message}, status=status
        )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def bad_request(request, exception=None):
    if getattr(request, "htmx", False) and not _wants_json(request):
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
