"""Embeds: the console's page (which sites may embed the brand's pages, and the
snippets to paste), and the oEmbed endpoint CMSs ask when a link is pasted."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.permissions import Role, console_view
from integrations import embeds, selectors, services
from tenants.selectors import normalise_host, tenant_for_host

DEFAULT_WIDTH = 640


@require_http_methods(["GET", "POST"])
@console_view(Role.ADMIN)
def embed_settings(request):
    origins = selectors.embed_origins(tenant=request.tenant)
    errors, status, text = {}, 200, "\n".join(origins)
    if request.method == "POST":
        text = request.POST.get("allowed_origins", "")
        try:
            services.embed_origins_set(tenant=request.tenant, origins=text.splitlines())
        except DomainError as exc:
            errors, status = exc.fields or {"form": [exc.message]}, 400
        else:
            messages.success(request, _("Embed settings saved."))
            return redirect("console:embeds")
    base_url = request.build_absolute_uri("/").rstrip("/")
    snippets = [
        {
            "title": item.title,
            "pages": [
                (label, _snippet(base_url, path, f"{item.title} · {label}", 720))
                for label, path in item.pages
            ],
        }
        for item in embeds.embeddables(request.tenant)
    ]
    return render(
        request,
        "integrations/console/embeds.html",
        {
            "origins_text": text,
            "origins": origins,
            "errors": errors,
            "snippets": snippets,
            "oembed_url": base_url + "/oembed",
        },
        status=status,
    )


def _snippet(base_url: str, path: str, title: str, height: int) -> str:
    """The HTML a brand pastes: the frame, and the script that fits its height."""
    return (
        f'<iframe src="{escape(base_url + path)}" title="{escape(title)}" '
        f'data-ruche-embed loading="lazy" style="width:100%;max-width:100%;border:0" '
        f'height="{height}"></iframe>'
        f'<script src="{escape(base_url)}/static/integrations/embed/host.js" async></script>'
    )


def _positive(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 4000))


@require_GET
def oembed(request):
    """oEmbed 1.0 (https://oembed.com): `?url=<a page of this brand>&format=json`.
    A URL of another site, of another brand, of a page that cannot be embedded
    or that the visitor may not see: 404. `format=xml`: 501, as the spec says."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    url = request.GET.get("url", "")
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or tenant_for_host(normalise_host(parts.netloc)) != request.tenant
    ):
        raise Http404
    try:
        match = resolve(parts.path or "/")
    except Resolver404 as exc:
        raise Http404 from exc
    describe = embeds.oembed_describer(match.view_name)
    if describe is None:
        raise Http404
    item = describe(request, **match.kwargs)
    base_url = request.build_absolute_uri("/").rstrip("/")
    answer = {
        "version": "1.0",
        "type": "link",
        "title": item.title,
        "provider_name": request.tenant.name,
        "provider_url": base_url + "/",
        "cache_age": 3600,
    }
    if item.author_name:
        answer["author_name"] = item.author_name
    if item.thumbnail_url:
        answer["thumbnail_url"] = item.thumbnail_url
    if item.embed_path:
        width = min(_positive(request.GET.get("maxwidth"), DEFAULT_WIDTH), DEFAULT_WIDTH)
        height = min(_positive(request.GET.get("maxheight"), item.height), item.height)
        answer |= {
            "type": "rich",
            "html": _snippet(base_url, item.embed_path, item.title, height),
            "width": width,
            "height": height,
        }
    response = JsonResponse(answer)
    response["Access-Control-Allow-Origin"] = "*"  # public data; CMS editors ask from the browser
    return response
