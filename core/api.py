"""What every API view shares: the error format and pagination.

Errors are always `{"error": {"code", "message", "fields"}}` with a 4xx/5xx
status, whatever raised them (DRF validation, a domain error from a service,
a 404, malformed JSON).
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Code, DomainError, error_body


def _flatten(detail) -> dict:
    """DRF's nested validation detail → {"field": ["message", …]}."""
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in value] if isinstance(value, list) else [str(value)]
            for key, value in detail.items()
        }
    return {}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if getattr(exc, "retry_after", None) is not None:  # core.ratelimit.RateLimited
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.pop("non_field_errors", None)
        if isinstance(exc.detail, list):
            non_field = [str(m) for m in exc.detail]
        message = non_field[0] if non_field else _("Some fields are not valid.")
        response.data = error_body(Code.INVALID, message, fields)
    else:
        code = getattr(exc, "default_code", "error")
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, str):
            code = codes
        response.data = error_body(code, str(getattr(exc, "detail", exc)))
    return response


class CursorPagination(pagination.CursorPagination):
    """Stable, constant-cost pages whatever the table size."""

    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-created_at"


def valid_input(request, serializer_class, **kwargs) -> dict:
    """The request body read through `serializer_class`, validated; bad input
    raises DRF's ValidationError, which `exception_handler` turns into the
    house's 400."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def cursor_page(request, rows, next_cursor, serializer_class, params: dict) -> Response:
    """One page of a list a selector cut with its own cursor: the rows, and
    the link to the next page (the same filters `params`, the next cursor)."""
    data = serializer_class(rows, many=True, context={"request": request}).data
    next_url = None
    if next_cursor:
        next_url = request.build_absolute_uri(
            f"{request.path}?{urlencode(params | {'cursor': next_cursor})}"
        )
    return Response({"results": data, "next": next_url})
