"""One-click sign-in across tenant hosts: which providers a tenant offers, with
whose OAuth app, and how a session crosses from the sign-in host to the tenant.

The redirect-URI strategy
-------------------------
Every OAuth callback arrives on ONE host, the platform's (PLATFORM_DOMAIN), so a
provider app needs one redirect URI whatever the number of tenants and custom
domains:

    https://<PLATFORM_DOMAIN>/accounts/<provider>/login/callback/
    https://<PLATFORM_DOMAIN>/accounts/oidc/<slug>-sso/login/callback/  (a brand's OIDC)

1. On the tenant host, the sign-in button POSTs to /accounts/<provider>/login/
   (views.signin.start). It signs a *start token* (tenant, provider, where to go
   back, for "connect" who is asking, and a digest of this browser's sign-in
   cookie) and redirects to the sign-in host.
2. The sign-in host (views.signin.platform_start) checks the token (signed,
   2 minutes, single use), remembers the request under the OAuth state id and
   sends the person to the provider with the tenant's own app if it has one,
   the platform's otherwise (accounts.adapters.SocialAccountAdapter).
3. The provider calls back the sign-in host; allauth completes the sign-in
   there, then goes to /signin/handoff/, which signs a *handoff token* (the
   person, the tenant, where to go, the browser's digest: 60 seconds, single
   use, valid on that tenant only), ends the sign-in host's session and
   redirects to https://<tenant host>/signin/complete/?token=….
4. The tenant host checks the token, and that the browser opening it carries
   the sign-in cookie set in step 1, signs the person in and sends them back to
   the page they came from.

The browser check stops a login CSRF: without it, someone could start a sign-in
with their own account, stop at the handoff link and have another person open
it, who would then act under the first person's account unawares.

Errors (the person cancels, the provider is down, a refused address) are handed
back the same way, to /signin/failed/, which explains and offers to try again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django_scopes import scope

from tenants.models import Tenant

SOCIAL_PROVIDERS = ("google", "facebook", "twitter_oauth2")
OIDC = "openid_connect"
DEMO = "dummy"
START_MAX_AGE = 120
HANDOFF_MAX_AGE = 60
SESSION_KEY = "ruche_signin"
MAX_PENDING = 8
# Paths that one host builds for another (each host has its own URLconf).
START_PATH = "/signin/start/"
HANDOFF_PATH = "/signin/handoff/"
COMPLETE_PATH = "/signin/complete/"
FAILED_PATH = "/signin/failed/"  # sign-ins started in parallel tabs that the sign-in host remembers
# The tenant host's cookie that ties a sign-in to the browser that started it.
# Long enough for a provider's password, second factor or account creation.
BROWSER_COOKIE = "ruche_signin"
BROWSER_MAX_AGE = 15 * 60
_BROWSER_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")


class SignInTokenInvalid(Exception):
    """A start, handoff or failure token that is forged, expired or already used."""


class SignInOtherBrowser(SignInTokenInvalid):
    """A handoff token opened in a browser other than the one that started the
    sign-in (or whose sign-in cookie expired)."""

    def __init__(self, next_url: str = "/"):
        super().__init__(next_url)
        self.next_url = next_url


def oidc_provider_id(tenant: Tenant) -> str:
    """The allauth provider id of a tenant's own OpenID Connect app."""
    return f"{tenant.slug}-sso"


def tenant_of_oidc_provider_id(provider_id: str) -> Tenant | None:
    if not provider_id.endswith("-sso"):
        return None
    return Tenant.objects.filter(slug=provider_id.removesuffix("-sso")).first()


def demo_enabled() -> bool:
    return bool(getattr(settings, "DEMO_SIGN_IN", False)) and (
        "allauth.socialaccount.providers.dummy" in settings.INSTALLED_APPS
    )


# --- Apps: the tenant's own, else the platform's --------------------------------


def platform_apps() -> dict:
    """{provider: SocialApp} of the platform's default OAuth apps (settings)."""
    from allauth.socialaccount.models import SocialApp

    apps = {}
    for provider, config in (getattr(settings, "SIGNIN_PLATFORM_APPS", None) or {}).items():
        if provider in SOCIAL_PROVIDERS and config.get("client_id"):
            apps[provider] = SocialApp(
                provider=provider,
                name=config.get("name", ""),
                client_id=config["client_id"],
                secret=config.get("secret", ""),
                settings=dict(config.get("settings", {})),
            )
    return apps


def tenant_apps(tenant: Tenant) -> dict:
    """{provider: SocialApp} of the tenant's own enabled apps."""
    from allauth.socialaccount.models import SocialApp

    from accounts.crypto import SecretUnreadable, decrypt_secret
    from accounts.models import ProviderCredential

    apps = {}
    with scope(tenant=tenant):
        credentials = list(ProviderCredential.objects.filter(tenant=tenant, enabled=True))
    for credential in credentials:
        try:
            secret = decrypt_secret(credential.secret_encrypted)
        except SecretUnreadable:
            continue  # a rotated-away key: the console asks the brand to enter it again
        app = SocialApp(
            provider=credential.provider,
            name=credential.name,
            client_id=credential.client_id,
            secret=secret,
        )
        if credential.provider == OIDC:
            app.provider_id = oidc_provider_id(tenant)
            app.name = credential.name or tenant.name
            app.settings = {"server_url": credential.server_url, "oauth_pkce_enabled": True}
        apps[credential.provider] = app
    return apps


def apps_for(tenant: Tenant | None) -> list:
    """The apps offered on a tenant's sign-in page, in button order."""
    platform = platform_apps()
    own = tenant_apps(tenant) if tenant is not None else {}
    apps = [own.get(p) or platform[p] for p in SOCIAL_PROVIDERS if p in own or p in platform]
    if OIDC in own:
        apps.append(own[OIDC])
    return apps


# --- Tokens -------------------------------------------------------------------------


@dataclass
class SignInRequest:
    """What the tenant host asked the sign-in host to do."""

    tenant_id: int
    provider: str
    origin: str  # scheme://host[:port] of the tenant host the person is on
    next: str = "/"
    process: str = "login"
    user_id: int | None = None  # who asks, for "connect"
    browser: str = ""  # browser_digest() of the browser's sign-in cookie
    language: str = ""  # the tenant page's language: the sign-in host speaks it too
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(12))

    @property
    def tenant(self) -> Tenant | None:
        return Tenant.objects.filter(pk=self.tenant_id).first()


def _use_once(nonce: str, max_age: int) -> bool:
    """True the first time a nonce is seen (Redis SET NX); False on a replay."""
    return cache.add(f"signin:nonce:{nonce}", 1, timeout=max_age + 30)


def safe_next(url: str | None, host: str) -> str:
    """A path on the same host, or "/" (never an open redirect)."""
    if (
        url
        and url_has_allowed_host_and_scheme(url, allowed_hosts={host}, require_https=False)
        and url.startswith("/")
        and not url.startswith("//")
    ):
        return url
    return "/"


def browser_nonce(request) -> str:
    """The browser's sign-in cookie value, or a new one. Kept while it is valid
    so sign-ins started in parallel tabs all finish."""
    current = request.COOKIES.get(BROWSER_COOKIE, "")
    return current if _BROWSER_NONCE.fullmatch(current) else secrets.token_urlsafe(32)


def browser_digest(nonce: str) -> str:
    """What the tokens carry instead of the cookie itself: the links travel in
    URLs (history, logs), the cookie value must not."""
    return salted_hmac("ruche.signin.browser", nonce).hexdigest()


def set_browser_cookie(response, nonce: str) -> None:
    """Host-only (no domain), unreadable by scripts, sent on the top-level
    navigation back from the sign-in host (Lax) and on no cross-site POST."""
    response.set_cookie(
        BROWSER_COOKIE,
        nonce,
        max_age=BROWSER_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def start_token(sign_in: SignInRequest) -> str:
    return signing.dumps(asdict(sign_in), salt="ruche.signin.start", compress=True)


def read_start_token(token: str) -> SignInRequest:
    try:
        data = signing.loads(token, salt="ruche.signin.start", max_age=START_MAX_AGE)
    except signing.BadSignature as exc:
        raise SignInTokenInvalid from exc
    sign_in = SignInRequest(**data)
    if not _use_once(sign_in.nonce, START_MAX_AGE):
        raise SignInTokenInvalid
    return sign_in


def handoff_token(*, user, sign_in: SignInRequest, notes: list[str]) -> str:
    payload = {
        "u": user.pk,
        "t": sign_in.tenant_id,
        "next": sign_in.next,
        "notes": [n[:300] for n in notes[:3]],
        "b": sign_in.browser,
        "nonce": secrets.token_urlsafe(12),
    }
    return signing.dumps(payload, salt="ruche.signin.handoff", compress=True)


def read_handoff_token(token: str, *, tenant: Tenant, browser_cookie: str) -> dict:
    """The handoff's data, if the token is genuine, fresh, for this tenant, opened
    by the browser that started the sign-in (`browser_cookie`: its sign-in
    cookie), and used for the first time. The browser is checked before the
    token is spent: a link opened elsewhere still works where it belongs."""
    try:
        data = signing.loads(token, salt="ruche.signin.handoff", max_age=HANDOFF_MAX_AGE)
    except signing.BadSignature as exc:
        raise SignInTokenInvalid from exc
    if data.get("t") != tenant.pk:
        raise SignInTokenInvalid
    expected = data.get("b") or ""
    if not (
        expected
        and browser_cookie
        and constant_time_compare(expected, browser_digest(browser_cookie))
    ):
        raise SignInOtherBrowser(data.get("next") or "/")
    if not _use_once(data["nonce"], HANDOFF_MAX_AGE):
        raise SignInTokenInvalid
    return data


def failure_token(*, sign_in: SignInRequest, reason: str) -> str:
    return signing.dumps(
        {"t": sign_in.tenant_id, "next": sign_in.next, "reason": reason, "p": sign_in.provider},
        salt="ruche.signin.failed",
    )


def read_failure_token(token: str, *, tenant: Tenant) -> dict:
    try:
        data = signing.loads(token, salt="ruche.signin.failed", max_age=600)
    except signing.BadSignature as exc:
        raise SignInTokenInvalid from exc
    if data.get("t") != tenant.pk:
        raise SignInTokenInvalid
    return data


# --- The sign-in host's memory of pending sign-ins ----------------------------------


def remember(request, state_id: str, sign_in: SignInRequest) -> None:
    pending = request.session.get(SESSION_KEY, {})
    pending[state_id] = asdict(sign_in)
    while len(pending) > MAX_PENDING:
        pending.pop(next(iter(pending)))
    request.session[SESSION_KEY] = pending


def recall(request, state_id: str | None, *, pop: bool = False) -> SignInRequest | None:
    if not state_id or not hasattr(request, "session"):
        return None
    pending = request.session.get(SESSION_KEY, {})
    data = pending.pop(state_id, None) if pop else pending.get(state_id)
    if pop:
        request.session[SESSION_KEY] = pending
    return SignInRequest(**data) if data else None


def context_for(request) -> SignInRequest | None:
    """The pending sign-in a request on the sign-in host belongs to: by the OAuth
    `state` it carries (callbacks, the demo form), by the `ctx` of the handoff,
    or by the social sign-up waiting in the session (the e-mail form)."""
    if request is None:
        return None
    params = request.GET if request.method == "GET" else request.POST
    for key in ("state", "ctx"):
        found = recall(request, params.get(key) or request.GET.get(key))
        if found:
            return found
    pending_signup = getattr(request, "session", {}).get("socialaccount_sociallogin")
    if pending_signup:
        next_url = (pending_signup.get("state") or {}).get("next") or ""
        _, _, ctx = next_url.partition("ctx=")
        return recall(request, ctx or None)
    return None


def tenant_for_request(request) -> Tenant | None:
    """The tenant a sign-in is for: the host's own, or on the sign-in host the
    one the pending sign-in came from."""
    if request is None:
        return None
    tenant = getattr(request, "tenant", None)
    if tenant is not None:
        return tenant
    tenant = getattr(request, "signin_tenant", None)
    if tenant is not None:
        return tenant
    sign_in = context_for(request)
    if sign_in is None:
        return None
    request.signin_tenant = sign_in.tenant
    return request.signin_tenant


def dress_as_tenant(request) -> SignInRequest | None:
    """On the sign-in host, the pending sign-in this request belongs to, with
    `request.signin_tenant` (whose colours and name the page wears) and
    `request.signin_origin` (where its logo links back to) set from it."""
    if getattr(request, "tenant", None) is not None:
        return None
    sign_in = context_for(request)
    if sign_in is None:
        return None
    tenant = sign_in.tenant
    if tenant is None or not tenant.is_active:
        return None
    request.signin_tenant = tenant
    request.signin_origin = sign_in.origin
    return sign_in


def continue_to(request, url: str):
    """A page that moves on to `url` at once (meta refresh, no script).

    Used instead of a redirect where a form's POST would otherwise be redirected
    to another host: browsers check every hop of a form's redirects against the
    page's CSP form-action ('self'), which the sign-in hosts and providers are not.
    """
    from django.template.response import TemplateResponse

    response = TemplateResponse(request, "accounts/signin/continue.html", {"url": url})
    response["Cache-Control"] = "no-store"
    return response


def sign_in_host(request) -> str:
    """scheme://PLATFORM_DOMAIN[:port], the port being the one the tenant host
    was reached on (so `make run` and the test servers work unchanged)."""
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") else ""
    netloc = settings.PLATFORM_DOMAIN + (f":{port}" if port else "")
    return f"{request.scheme}://{netloc}"
