"""The platform's own host: a landing page. /healthz, answered on every host, and
the operators' /metrics, answered on any host but a tenant's."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import metrics as core_metrics


@require_GET
def landing(request):
    return render(request, "tenants/landing.html")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    client = cache._cache.get_client(write=True)  # the same Redis the platform uses
    client.ping()


@never_cache
@require_GET
def healthz(request):
    """200 when PostgreSQL and Redis answer, 503 naming what failed."""
    checks = {}
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is "not healthy"
            checks[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def metrics(request):
    """The operators' metrics (core/metrics.py) for Prometheus. Answered on the
    platform's host or an internal name (tenants.middleware never routes a
    tenant's host here) and, when METRICS_TOKEN is set, only to a scraper that
    sends it as a bearer token."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(sent, token):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    body, content_type = core_metrics.render()
    return HttpResponse(body, content_type=content_type)
