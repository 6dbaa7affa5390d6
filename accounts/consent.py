"""Before a person's first vote, submission or comment in a tenant: signed in,
and the tenant's current terms accepted — inline, without leaving the page.

For the views of other apps:

    from accounts.consent import terms_required

    @require_POST
    @terms_required
    def vote(request, public_id): ...

A visitor is sent to sign in and back to the page (htmx: `HX-Redirect`); a
signed-in person who has not accepted the current terms gets the consent form
instead of the action: as a panel appended to the page for htmx requests, as
a page with the form for plain requests. Once they accept, they go on to the
page they came from — and the action is done there without another click
when the view named it as an intent (accounts.intents, e.g. a vote). Templates
ask the same rule as the views:
`{% has_perm "accounts.participate" user tenant %}`, or
`participation_block(request) is None` in code.
"""

from functools import wraps
from urllib.parse import urlencode, urlparse

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import intents, selectors, services
from accounts.signin import safe_next


def page_to_return_to(request) -> str:
    """Where the person was: the page an htmx request came from, else this one
    (a POST's own URL is not a page: fall back to the referring page)."""
    current = request.headers.get("HX-Current-URL") or ""
    if not current and request.method != "GET":
        current = request.headers.get("Referer") or ""
    if current:
        parsed = urlparse(current)
        if parsed.netloc in ("", request.get_host()):
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            return safe_next(path, request.get_host())
    return safe_next(request.get_full_path(), request.get_host())


def gate_context(request, *, next_url: str | None = None, errors=None, values=None) -> dict:
    tenant = request.tenant
    current = selectors.terms_current(tenant=tenant)
    if current is None:
        terms, privacy = services.terms_default_text(tenant)
        version = 1
    else:
        terms, privacy, version = current.terms, current.privacy_notice, current.version
    profile = selectors.profile_of(request.user, tenant)
    values = values or {}
    return {
        "terms_text": terms,
        "privacy_text": privacy,
        "terms_version": version,
        "is_new_version": profile is not None,
        "profile": profile,
        "display_name": values.get("display_name")
        or (profile.display_name if profile else request.user.display_name),
        "marketing_opt_in": values.get(
            "marketing_opt_in", profile.marketing_opt_in if profile else False
        ),
        "next": next_url or page_to_return_to(request),
        "errors": errors or {},
    }


def participation_block(
    request, *, intent: tuple[str, object] | None = None
) -> HttpResponse | None:
    """None when the person may take part in this tenant now; otherwise the
    response that takes them there (sign in, or accept the terms).

    `intent` — (kind, target), an action registered in accounts.intents — is
    what they clicked: it is done on their return, without another click."""
    back = page_to_return_to(request)
    if request.user.is_authenticated and selectors.has_accepted_current_terms(
        request.user, request.tenant
    ):
        return None
    nonce = None
    if intent is not None:
        kind, target = intent
        back, nonce = intents.continue_url(request, kind=kind, target=target, back=back)
    response = _way_in(request, back)
    if nonce is not None:
        intents.set_cookie(response, nonce)
    return response


def _way_in(request, back: str) -> HttpResponse:
    if not request.user.is_authenticated:
        login = f"{reverse('account_login')}?{urlencode({'next': back})}"
        if request.htmx:
            return HttpResponse(status=200, headers={"HX-Redirect": login})
        return redirect(login)
    if request.htmx:
        response = render(
            request,
            "accounts/consent/panel.html",
            gate_context(request, next_url=back) | {"as_panel": True},
        )
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "beforeend"
        return response
    return redirect(f"{reverse('consent')}?{urlencode({'next': back})}")


def terms_required(view):
    """View decorator: run the view only for a signed-in person who accepted the
    tenant's current terms (see participation_block)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        blocked = participation_block(request)
        if blocked is not None:
            return blocked
        return view(request, *args, **kwargs)

    return wrapper
