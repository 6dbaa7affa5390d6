"""Signing in from inside an embedded page (a brand's challenge framed on its
own site).

A frame cannot use the site's session: browsers keep no third-party cookies,
and a sign-in page (ours, Google's) refuses to be framed. So the frame makes a
random claim code and opens a pop-up (a first-party window) on `embed_signin`
with it; the pop-up goes through the ordinary sign-in and lands on
`embed_signin_done`, which records "this claim is this person" for two minutes
and closes. Meanwhile the frame asks `embed_session` with its claim: once the
claim is recorded, it is used up and the frame gets a session of its own (a
partitioned cookie, integrations.embeds), then reloads.

The claim never leaves the frame and its pop-up; it is used once. A pop-up
that lost its opener on the way (a provider's page may cut it) still works:
nothing is sent back to the opener, the frame asks.
"""

import re

from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.embeds import embeddable

CLAIM = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
CLAIM_SESSION_KEY = "embed_claim"
CLAIM_TTL = 120  # seconds from the sign-in to the frame's next question


def _claim_key(tenant, claim: str) -> str:
    return f"embed-claim:{tenant.pk}:{claim}"


@require_GET
def signin(request):
    """The pop-up's first page: remember the frame's claim, then sign in."""
    claim = request.GET.get("claim", "")
    if not CLAIM.match(claim):
        return HttpResponseBadRequest()
    request.session[CLAIM_SESSION_KEY] = claim
    done = reverse("embed_signin_done")
    if request.user.is_authenticated:
        return redirect(done)
    return redirect(f"{reverse('account_login')}?next={done}")


@require_GET
@login_required
def signin_done(request):
    claim = request.session.pop(CLAIM_SESSION_KEY, "")
    if CLAIM.match(claim or ""):
        cache.set(_claim_key(request.tenant, claim), request.user.pk, CLAIM_TTL)
    response = render(request, "accounts/embed/signed_in.html")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@embeddable
def session(request):
    """Inside the frame: 200 and a session of the frame's own once the pop-up
    signed the person in; 204 while it has not (the frame asks again)."""
    claim = request.POST.get("claim", "")
    if not CLAIM.match(claim):
        return HttpResponseBadRequest()
    key = _claim_key(request.tenant, claim)
    user_id = cache.get(key)
    if user_id is None or not cache.delete(key):
        return HttpResponse(status=204)  # not yet (or used by another request)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return HttpResponse(status=204)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return JsonResponse({"signed_in": True})
