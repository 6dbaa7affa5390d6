"""What a person clicked before they could take part — a vote, a follow —
carried through the sign-in round trip and the brand's terms, and done on
arrival without another click.

The click is answered with a way in (sign in, or accept the terms) whose
`next` is the *continue* page with a signed intent:

    /continue/?intent=<token>&next=<the page they were on>

The token names the action and its target (an idea's public id), the tenant,
the page to come back to, and a digest of this browser's intent cookie. It is
signed (Django signing), short-lived (INTENT_MAX_AGE) and done once. The
continue page (accounts.views.public.intent_continue) sends a visitor to sign
in and a new participant to the terms first, then runs the action through the
handler its app registered — the same service a click would have called:

    from accounts.intents import register_intent
    register_intent("vote", cast_vote_intent)  # handler(request, target) -> message

A GET that acts is safe here because it can only do what this browser asked
for: the token is bound to the browser's cookie (another site cannot make it
up, nor hand its own to someone else), to the tenant (another brand's token is
refused), and the handler looks the target up in the tenant like a click does.
A forged, expired, foreign or replayed token does nothing and says so.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from accounts.signin import browser_digest, safe_next

# Long enough for a provider's sign-in (or an account's creation) and the terms.
INTENT_MAX_AGE = 30 * 60
COOKIE = "ruche_intent"
_SALT = "ruche.intent"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")

_handlers: dict[str, Callable] = {}


class IntentInvalid(Exception):
    """A token that is forged, expired, for another tenant or another browser."""


@dataclass(frozen=True)
class Intent:
    kind: str  # a registered action: "vote", "follow"
    target: str  # what it acts on (an idea's public id)
    back: str = "/"  # the page to come back to
    nonce: str = ""


def register_intent(kind: str, handler: Callable) -> None:
    """`handler(request, target) -> str`: does the action for the signed-in
    participant and returns what to tell them; raises a DomainError (shown)
    or Http404 (the target is gone) when it cannot."""
    _handlers[kind] = handler


def unregister_intent(kind: str) -> None:
    _handlers.pop(kind, None)


def handler_for(kind: str) -> Callable | None:
    return _handlers.get(kind)


def intent_token(*, tenant, kind: str, target, back: str, browser: str) -> str:
    payload = {
        "t": tenant.pk,
        "k": kind,
        "o": str(target),
        "n": back,
        "b": browser,
        "x": secrets.token_urlsafe(9),
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_intent(token: str, *, tenant, browser_cookie: str, host: str) -> Intent:
    """The intent, if the token is genuine, fresh, for this tenant and opened
    by the browser that clicked. Raises IntentInvalid otherwise."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=INTENT_MAX_AGE)
    except signing.BadSignature as exc:
        raise IntentInvalid from exc
    if not isinstance(data, dict) or data.get("t") != tenant.pk or data.get("k") not in _handlers:
        raise IntentInvalid
    expected = data.get("b") or ""
    if not (browser_cookie and constant_time_compare(expected, browser_digest(browser_cookie))):
        raise IntentInvalid
    return Intent(
        kind=data["k"], target=data["o"], back=safe_next(data.get("n"), host), nonce=data["x"]
    )


def mark_done(intent: Intent) -> bool:
    """True the first time an intent is acted on; False on a replay."""
    return cache.add(f"intent:done:{intent.nonce}", 1, timeout=INTENT_MAX_AGE + 60)


def continue_url(request, *, kind: str, target, back: str) -> tuple[str, str]:
    """(the continue page's URL carrying the intent, the browser's cookie
    value to set on the response with `set_cookie`)."""
    nonce = browser_nonce_for_intent(request)
    token = intent_token(
        tenant=request.tenant, kind=kind, target=target, back=back, browser=browser_digest(nonce)
    )
    return f"{reverse('intent_continue')}?{urlencode({'intent': token, 'next': back})}", nonce


def browser_nonce_for_intent(request) -> str:
    """This browser's intent cookie, kept while valid (intents started in
    several tabs all finish), or a new one."""
    current = request.COOKIES.get(COOKIE, "")
    return current if _NONCE.fullmatch(current) else secrets.token_urlsafe(32)


def set_cookie(response, nonce: str) -> None:
    """Host-only, unreadable by scripts, sent on the top-level navigation back
    from the sign-in host (Lax)."""
    response.set_cookie(
        COOKIE,
        nonce,
        max_age=INTENT_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
