"""The platform's own host: a landing page. /healthz and /readyz, answered on
every host, and the operators' /metrics, answered on any host but a tenant's."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import metrics as core_metrics
from tenants.selectors import is_platform_host, normalise_host, tenant_for_host


@require_GET
def landing(request):
    return render(request, "tenants/landing.html")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    client = cache._cache.get_client(write=True)  # the same Redis the platform uses
    client.ping()


def _check_storage() -> None:
    """The media storage answers (a stat on disk, a HEAD on S3)."""
    default_storage.exists("readyz-probe")


_migrated = False


def _check_migrations() -> None:
    """Every migration of the code is applied (the check is cached once true:
    the migration graph takes a while to load)."""
    global _migrated  # a per-process cache of a fact that stays true
    if _migrated:
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations pending")
    _migrated = True


def _probe(checks) -> JsonResponse:
    """200 when every check passes, 503 naming what failed."""
    results = {}
    for name, check in checks:
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is "not healthy"
            results[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def healthz(request):
    """Alive: PostgreSQL and Redis answer (a load balancer's or liveness probe)."""
    return _probe((("database", _check_database), ("redis", _check_redis)))


@never_cache
@require_GET
def readyz(request):
    """Ready for traffic: PostgreSQL, Redis and the media storage answer, and
    the database has every migration of this code (a readiness probe: a new
    release waits for its migration job)."""
    return _probe(
        (
            ("database", _check_database),
            ("redis", _check_redis),
            ("storage", _check_storage),
            ("migrations", _check_migrations),
        )
    )


def _from_inside(request) -> bool:
    """A request made straight from the inside network (a scraper, the TLS
    proxy asking): a private or loopback address, and no proxy in between
    (a public request relayed by a proxy carries X-Forwarded-For)."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return (address.is_private or address.is_loopback) and (
        "HTTP_X_FORWARDED_FOR" not in request.META
    )


@never_cache
@require_GET
def metrics(request):
    """The operators' metrics (core/metrics.py) for Prometheus. Answered on the
    platform's host or an internal name (tenants.middleware never routes a
    tenant's host here); with METRICS_TOKEN set, only to a scraper that sends
    it as a bearer token; without, only to the inside network."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(sent, token):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    elif not _from_inside(request):
        raise Http404
    body, content_type = core_metrics.render()
    return HttpResponse(body, content_type=content_type)


@never_cache
@require_GET
def tls_allowed(request):
    """The TLS proxy's question before it asks a certificate authority for a
    host's certificate (Caddy's on-demand TLS `ask`): 200 for the platform's
    host and every active brand's host, its subdomain or custom domain; 404
    otherwise, so nobody makes the proxy request certificates for names the
    platform does not serve. Internal: never answered on a brand's host."""
    if not _from_inside(request):
        raise Http404
    host = normalise_host(request.GET.get("domain", ""))
    known = host and (is_platform_host(host) or getattr(tenant_for_host(host), "is_active", False))
    return HttpResponse(status=200 if known else 404)
