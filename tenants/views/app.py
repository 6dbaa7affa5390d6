"""What makes a brand's site installable: its web app manifest, icons, favicon,
the offline page and the service worker that shows it."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from tenants import icons
from tenants.branding import WASH, palette

ICON_MAX_AGE = 24 * 3600
MANIFEST_MAX_AGE = 3600


def _public(response, max_age: int, etag: str | None = None):
    """Same for everyone on this host: any cache may keep it for `max_age`."""
    patch_cache_control(response, public=True, max_age=max_age)
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


def _not_modified(request, version: str) -> bool:
    return request.headers.get("If-None-Match", "").strip('" W/') == version


@require_GET
def manifest(request):
    tenant = request.tenant
    name = tenant.name if tenant else settings.PLATFORM_NAME
    colour = tenant.primary_colour if tenant else icons.PLATFORM_COLOUR
    version = icons.brand_version(tenant)
    icon_list = [
        {"src": f"/icons/{size}.png?v={version}", "sizes": f"{size}x{size}", "type": "image/png",
         "purpose": "any"}
        for size in (192, 512)
    ]  # fmt: skip
    icon_list.append(
        {"src": f"/icons/512.png?v={version}", "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"}
    )  # fmt: skip
    data = {
        "id": "/",
        "name": name,
        "short_name": name if len(name) <= 12 else icons.initials(name),
        "lang": tenant.default_language if tenant else get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": WASH,
        "theme_color": palette(colour)["fill"],
        "icons": icon_list,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    return _public(response, MANIFEST_MAX_AGE)


@require_GET
def icon(request, size: int):
    if size not in icons.ICON_SIZES:
        raise Http404
    version = icons.brand_version(request.tenant)
    if _not_modified(request, version):
        return _public(HttpResponse(status=304), ICON_MAX_AGE, version)
    data, version = icons.icon_png(request.tenant, size)
    return _public(HttpResponse(data, content_type="image/png"), ICON_MAX_AGE, version)


@require_GET
def favicon(request):
    version = icons.brand_version(request.tenant)
    if _not_modified(request, version):
        return _public(HttpResponse(status=304), ICON_MAX_AGE, version)
    data, version = icons.favicon_ico(request.tenant)
    return _public(HttpResponse(data, content_type="image/x-icon"), ICON_MAX_AGE, version)


@require_GET
def offline(request):
    """What the service worker shows when the network is gone. It names no one
    and holds no token (it is kept in the browser), so it is the same for all."""
    response = render(request, "offline.html")
    # Not kept by shared caches: its inline style carries this response's CSP nonce.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request):
    """Served from the root so it may answer for the whole site; never cached
    long, so a new version reaches browsers within a visit."""
    body = loader.render_to_string("sw.js")
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
