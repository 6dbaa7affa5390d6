"""What views of every app share."""

import uuid
import zoneinfo
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from core.errors import DomainError, error_body


def in_tenant_time_zone(view):
    """Forms read and pages show times on the tenant's clock."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            return view(request, *args, **kwargs)
        with timezone.override(zoneinfo.ZoneInfo(tenant.time_zone)):
            return view(request, *args, **kwargs)

    return wrapper


def wants_json(request) -> bool:
    """API paths answer in the JSON error format."""
    return request.path_info.startswith("/api/")


def refusal(
    request, *, status: int, code: str, message: str, retry_after: int | None = None
) -> HttpResponse:
    """A request refused before its view could act, with the reason said: the
    API's JSON error under /api/; for htmx, the message in the page's alerts
    (whatever element asked); otherwise a page that says it."""
    if wants_json(request):
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


def run_and_say(request, action, success) -> bool:
    """Run `action()` for a page that goes back where it was: a refusal
    (DomainError) becomes an error message, otherwise `success` a success
    message. True when the action went through."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def valid_uuids(values) -> list[str]:
    """The public ids among values sent by a form (checkboxes, a pasted
    link's last part); anything else is dropped, so a bad value finds nothing
    rather than raising."""
    ids = []
    for value in values:
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return ids
