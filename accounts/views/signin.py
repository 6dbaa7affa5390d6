"""The sign-in hand-offs between tenant hosts and the sign-in host (see
accounts.signin for the whole journey)."""

import logging

from allauth.core import ratelimit
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.contrib import auth, messages
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from requests import RequestException

from accounts import signin
from accounts.models import User
from tenants.models import Tenant

logger = logging.getLogger(__name__)
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

FAILURE_MESSAGES = {
    "cancelled": lambda: _("Sign-in was cancelled. You can try again, or use another way in."),
    "failed": lambda: _("We could not sign you in with this provider. Please try again."),
    "unavailable": lambda: _(
        "This sign-in provider is not answering right now. Try again in a moment, "
        "or use another way in."
    ),
    "disposable": lambda: _(
        "This space does not accept disposable e-mail addresses. "
        "Please sign in with another account."
    ),
}


def _offered(request, provider_id: str) -> bool:
    if provider_id == signin.DEMO:
        return signin.demo_enabled()
    return any(provider_id in (a.provider, a.provider_id) for a in signin.apps_for(request.tenant))


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, provider=None, provider_id=None):
    """Tenant host: the sign-in button. A GET shows a confirmation button (a
    sign-in must not start from another site's link); the POST sends the person
    to the sign-in host with a signed start token."""
    provider_id = provider_id or provider
    if request.tenant is None or not _offered(request, provider_id):
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    next_url = signin.safe_next(params.get("next"), request.get_host())
    process = params.get("process", "login")
    if process == "connect" and not request.user.is_authenticated:
        process = "login"
    if request.method == "GET":
        return render(
            request,
            "accounts/signin/start.html",
            {"provider_id": provider_id, "next": next_url, "process": process,
             "provider_name": _provider_name(request, provider_id)},
        )  # fmt: skip
    if not ratelimit.consume(request, action="signin_start"):
        return TemplateResponse(request, "accounts/signin/too_many.html", status=429)
    nonce = signin.browser_nonce(request)
    sign_in = signin.SignInRequest(
        tenant_id=request.tenant.pk,
        provider=provider_id,
        origin=f"{request.scheme}://{request.get_host()}",
        next=next_url,
        process=process,
        user_id=request.user.pk if process == "connect" else None,
        browser=signin.browser_digest(nonce),
        language=getattr(request, "LANGUAGE_CODE", "") or request.tenant.default_language,
    )
    token = signin.start_token(sign_in)
    response = signin.continue_to(
        request, f"{signin.sign_in_host(request)}{signin.START_PATH}?{urlencode({'r': token})}"
    )
    signin.set_browser_cookie(response, nonce)
    return response


def _provider_name(request, provider_id: str) -> str:
    for app in signin.apps_for(request.tenant):
        if provider_id in (app.provider, app.provider_id):
            return app.name or get_adapter(request).get_provider(request, provider_id).name
    return _("Demo sign-in") if provider_id == signin.DEMO else provider_id


@never_cache
@require_GET
def platform_start(request):
    """Sign-in host: check the start token, remember the sign-in under its OAuth
    state, and send the person to the provider with the tenant's app."""
    try:
        sign_in = signin.read_start_token(request.GET.get("r", ""))
    except signin.SignInTokenInvalid:
        return _expired(request)
    tenant = Tenant.objects.filter(pk=sign_in.tenant_id, status=Tenant.Status.ACTIVE).first()
    if tenant is None:
        raise Http404
    request.signin_tenant = tenant
    if sign_in.process == "connect":
        user = User.objects.filter(pk=sign_in.user_id, is_active=True).first()
        if user is None:
            return _expired(request)
        auth.login(request, user, backend=BACKEND)
    elif request.user.is_authenticated:
        auth.logout(request)  # a stale sign-in host session must not leak into this one
    try:
        provider = get_adapter(request).get_provider(request, sign_in.provider)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    state_id = get_random_string(32)
    signin.remember(request, state_id, sign_in)
    handoff = f"{signin.HANDOFF_PATH}?{urlencode({'ctx': state_id})}"
    try:
        return provider.redirect(request, sign_in.process, next_url=handoff, state_id=state_id)
    except (RequestException, OAuth2Error) as exc:
        # OpenID Connect discovery happens here: the provider is down.
        logger.warning("sign-in provider %s unavailable: %s", sign_in.provider, exc)
        token = signin.failure_token(sign_in=sign_in, reason="unavailable")
        return HttpResponseRedirect(f"{sign_in.origin}{signin.FAILED_PATH}?token={token}")


def _expired(request):
    return TemplateResponse(request, "accounts/signin/expired.html", status=400)


@never_cache
@require_GET
def handoff(request):
    """Sign-in host: the provider's sign-in succeeded; hand the session to the
    tenant host and keep none here."""
    sign_in = signin.recall(request, request.GET.get("ctx"), pop=True)
    if sign_in is None or not request.user.is_authenticated:
        return _expired(request)
    notes = [str(m) for m in messages.get_messages(request)]
    token = signin.handoff_token(user=request.user, sign_in=sign_in, notes=notes)
    auth.logout(request)
    return signin.continue_to(
        request, f"{sign_in.origin}{signin.COMPLETE_PATH}?{urlencode({'token': token})}"
    )


@never_cache
@require_GET
def complete(request):
    """Tenant host: check the handoff token, sign the person in, send them back."""
    try:
        data = signin.read_handoff_token(
            request.GET.get("token", ""),
            tenant=request.tenant,
            browser_cookie=request.COOKIES.get(signin.BROWSER_COOKIE, ""),
        )
    except signin.SignInOtherBrowser as exc:
        next_url = signin.safe_next(exc.next_url, request.get_host())
        return TemplateResponse(
            request,
            "accounts/signin/other_browser.html",
            {"again": f"{reverse('account_login')}?{urlencode({'next': next_url})}"},
            status=400,
        )
    except signin.SignInTokenInvalid:
        return _expired(request)
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        return _expired(request)
    auth.login(request, user, backend=BACKEND)
    for note in data.get("notes", []):
        messages.info(request, note)
    return HttpResponseRedirect(signin.safe_next(data.get("next"), request.get_host()))


@never_cache
@require_GET
def failed(request):
    """Tenant host: a sign-in that did not go through, explained."""
    try:
        data = signin.read_failure_token(request.GET.get("token", ""), tenant=request.tenant)
    except signin.SignInTokenInvalid:
        return HttpResponseBadRequest()
    message = FAILURE_MESSAGES.get(data["reason"], FAILURE_MESSAGES["failed"])()
    messages.error(request, message)
    next_url = signin.safe_next(data.get("next"), request.get_host())
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
