"""Input that no view should ever see.

PostgreSQL can neither store nor compare text holding a NUL byte (psycopg refuses
the query), and nobody types one: a query string, a path or a form field holding
one is refused here with a 400 that says so, before any view runs.

Views exempt from CSRF read their bodies themselves (a streamed upload must not
be parsed before its view sets its upload handlers; the API's parsers and
serializers refuse NUL bytes field by field): their bodies are left to them. A
view whose service answers a NUL byte with a field error of its own, which says
more than this page does, is marked with `checks_nul_bytes`.
"""

from django.utils.translation import gettext as _

from core.views import refusal

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def checks_nul_bytes(view):
    """Mark a view whose form refuses a NUL byte with a field error of its own."""
    view.checks_nul_bytes = True
    return view


def _holds_nul(items) -> bool:
    return any(NUL in key or NUL in value for key, values in items for value in values)


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        path_values = [*view_args, *view_kwargs.values()]
        if any(NUL in value for value in path_values if isinstance(value, str)) or _holds_nul(
            request.GET.lists()
        ):
            return self._refuse(request)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and request.content_type in FORM_TYPES
            and not getattr(view_func, "csrf_exempt", False)
            and not getattr(view_func, "checks_nul_bytes", False)
            and _holds_nul(request.POST.lists())
        ):
            return self._refuse(request)
        return None

    @staticmethod
    def _refuse(request):
        message = _(
            "What you sent contains a character that cannot be used (a NUL byte). "
            "Remove it, then try again."
        )
        return refusal(request, status=400, code="invalid_characters", message=message)
