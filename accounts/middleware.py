"""Which language a page speaks, and who may keep a copy of it.

Which language, in order: the language the person chose (the switcher's cookie, or their
account's setting), then the tenant's default language (a Spanish brand's site
opens in Spanish), then, on the platform host, the browser's Accept-Language.
On a tenant's site, only the languages the brand offers are ever chosen.

On the sign-in host (the platform's), a page of a pending sign-in (the demo
provider's form, the e-mail a provider did not give) speaks the language of the
tenant page the person came from, and wears that tenant's colours.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.permissions import SAFE_METHODS

from accounts import services, signin

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response

    @staticmethod
    def _choose(request) -> str:
        tenant = getattr(request, "tenant", None)
        if tenant is None:
            sign_in = signin.dress_as_tenant(request)
            if sign_in is not None:
                offered = set(request.signin_tenant.languages) & SUPPORTED
                if sign_in.language in offered:
                    return sign_in.language
                return request.signin_tenant.default_language
        offered = set(tenant.languages) & SUPPORTED if tenant is not None else SUPPORTED
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in offered:
            return chosen
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in offered:
            return user.language
        if tenant is not None:
            return tenant.default_language
        return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


class PrivatePagesMiddleware:
    """Whatever a signed-in person is shown is theirs (their profile, data,
    payouts, notifications, the console, "you voted" on a public page): no shared
    cache (a proxy, a CDN) may keep it, nor the browser's disk. A view that set
    its own Cache-Control keeps it.

    Placed after AuthenticationMiddleware: on the way back `request.user` is
    also the person an API token authenticated (DRF sets it on the request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class BrandKeyAuditMiddleware:
    """Every use of a brand's API key in its brand's audit trail, once answered
    (the entry says the status): every write (refused ones included), and of the
    reads one per key and minute, the first (the one that updated the key's last
    use). Requests over the key's rate limit are not recorded: they did nothing,
    and a runaway script would flood the trail.

    Placed after TenantMiddleware, inside the tenant's scope;
    accounts.authentication.BrandKeyAuthentication marks the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "brand_api_key", None)
        if key is not None and (
            request.method not in SAFE_METHODS or getattr(request, "brand_api_key_sampled", False)
        ):
            services.api_key_use_record(
                key=key, method=request.method, path=request.path, status=response.status_code
            )
        return response
