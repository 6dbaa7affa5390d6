"""Embeds: a brand shows a challenge, its gallery or its winners on its own site
in an iframe, and links pasted in a CMS unfold through oEmbed.

- `embeddable(view)`: a page that may be framed, by the brand's allowed
  origins only (CSP `frame-ancestors`, per tenant); every other page keeps
  `X-Frame-Options: DENY` and `frame-ancestors 'none'`. `?lang=fr` picks one of
  the brand's languages, and keeps it for the frame's next requests (a cookie
  of the frame's own).
- Cookies set in a frame: browsers refuse third-party cookies, so a session
  opened inside the frame is kept as a partitioned cookie (CHIPS: `SameSite=None;
  Secure; Partitioned`), valid only under the site that frames it
  (`EmbedCookiesMiddleware`).
- oEmbed: the apps that own a page say what it is (`register_oembed`), the
  endpoint (integrations.views.embeds.oembed) answers for the brand's own URLs.
- The console's embed page lists what can be embedded (`register_embeddables`).

Integrations imports no app above it: campaigns and ideas register here from
their `AppConfig.ready()`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from http.cookies import Morsel
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from integrations.selectors import embed_origins

EMBED_PREFIX = "/embed/"
# What the iframe's page says to the page around it (integrations/static/integrations/embed/).
RESIZE_MESSAGE = "ruche:resize"


class OriginError(DomainError):
    code = "origin_invalid"


def origin_clean(text: str) -> str:
    """`https://www.brand.example[:port]` as typed (a trailing slash forgiven),
    lower-cased; OriginError when it is not an origin (a path, a wildcard,
    another scheme)."""
    text = (text or "").strip().rstrip("/")
    parts = urlsplit(text)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or "*" in text
        or any(c.isspace() for c in text)
    ):
        raise OriginError(
            _("“%(origin)s” is not a site address: write it as https://www.example.com.")
            % {"origin": text[:200]}
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise OriginError(_("“%(origin)s” has a wrong port.") % {"origin": text[:200]}) from exc
    origin = f"{parts.scheme}://{parts.hostname.lower()}"
    return f"{origin}:{port}" if port else origin


# --- Framing -------------------------------------------------------------------------------


def frame_ancestors(tenant) -> list[str]:
    origins = embed_origins(tenant=tenant) if tenant is not None else []
    return origins or ["'none'"]


def embeddable(view):
    """The view's page may be framed by the tenant's allowed origins; cookies it
    sets are partitioned (see the module's docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.GET.get("lang")
        tenant = getattr(request, "tenant", None)
        chosen = tenant is not None and language in tenant.languages
        if chosen:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        if chosen:
            # Kept for the frame's next requests (a vote, a page of ideas).
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 86400)
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": frame_ancestors(tenant)}
        response.embed_partitioned_cookies = True
        return response

    return wrapper


class _PartitionedMorsel(Morsel):
    """A cookie with the `Partitioned` attribute, which http.cookies does not
    know before Python 3.14."""

    def OutputString(self, attrs=None):
        return super().OutputString(attrs) + "; Partitioned"


class EmbedCookiesMiddleware:
    """On an embeddable page's answer, the session, CSRF and language cookies are
    sent as partitioned third-party cookies, the only kind a browser keeps in a frame.

    Placed before SessionMiddleware and CsrfViewMiddleware: it sees the cookies
    they set on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "embed_partitioned_cookies", False):
            for name in (
                settings.SESSION_COOKIE_NAME,
                settings.CSRF_COOKIE_NAME,
                settings.LANGUAGE_COOKIE_NAME,
            ):
                morsel = response.cookies.get(name)
                if morsel is None:
                    continue
                partitioned = _PartitionedMorsel()
                partitioned.set(morsel.key, morsel.value, morsel.coded_value)
                partitioned.update(morsel)
                partitioned["samesite"] = "None"
                partitioned["secure"] = True
                dict.__setitem__(response.cookies, name, partitioned)
        return response


# --- What the apps above register ------------------------------------------------------------


@dataclass(frozen=True)
class OEmbedItem:
    """What a page is, for oEmbed: `embed_path` (an embeddable page) makes it a
    "rich" answer with an iframe; without it, a "link"."""

    title: str
    author_name: str = ""
    thumbnail_url: str = ""
    embed_path: str = ""
    height: int = 720


@dataclass(frozen=True)
class Embeddable:
    """One thing the console offers to embed: a challenge, with its pages."""

    title: str
    pages: list[tuple[str, str]] = field(default_factory=list)  # (label, embed path)


_oembed: dict[str, Callable] = {}
_embeddables: list[Callable] = []


def register_oembed(url_name: str, describe: Callable) -> None:
    """`describe(request, **url_kwargs) -> OEmbedItem`, raising Http404 for what
    the visitor may not see: the page named `url_name` unfolds through oEmbed."""
    _oembed[url_name] = describe


def oembed_describer(url_name: str) -> Callable | None:
    return _oembed.get(url_name)


def register_embeddables(lister: Callable) -> None:
    """`lister(tenant) -> list[Embeddable]`, shown on the console's embed page."""
    if lister not in _embeddables:
        _embeddables.append(lister)


def embeddables(tenant) -> list[Embeddable]:
    return [item for lister in _embeddables for item in lister(tenant)]
