"""Rate limits per person and per network, counted in Redis.

Sign-in has allauth's (ACCOUNT_RATE_LIMITS) and votes have theirs, counted with
the vote's risk score (voting.risk). Everything else people do many times goes
through `rate_limited(action)` on its view, HTML or API alike, with the limits
of RATE_LIMITS[action] (README: "Configuration"):

    "comments": "30/10m/person,300/10m/network"

`person` is the signed-in person (for what visitors may do, such as searching,
their address); `network` their address's /24 (IPv4) or /48 (IPv6): offices and
mobile networks put many people behind one, so its limit is generous. Windows
are fixed (a 10-minute window starts on the tenth minute), so the wait is known:
over a limit, the answer is a 429 with `Retry-After` and a message saying how
long, and the view does not run: nothing is written. Counts are per tenant. An
attempt the view refuses (a 4xx: a form error, a duplicate flag) is taken back.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import status

from core.errors import DomainError
from core.views import refusal


class RateLimited(DomainError):
    code = "rate_limited"
    status = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


# --- Redis and addresses ------------------------------------------------------------

_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    """One connection pool per Redis URL and process (settings differ per test worker)."""
    url = settings.REDIS_URL
    if url not in _clients:
        # A thread waits for a free connection rather than failing in a burst.
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=64, timeout=5, socket_timeout=2, socket_connect_timeout=2
        )
        _clients[url] = redis.Redis(connection_pool=pool)
    return _clients[url]


def network_of(ip: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) of an address, as text; "" when unknown."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def client_ip(request) -> str | None:
    """The visitor's address as the sign-in limits see it (allauth's reading of
    X-Forwarded-For behind ALLAUTH_TRUSTED_PROXY_COUNT proxies); None when unknown."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


# --- The limits ------------------------------------------------------------------------

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RULE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)([smhd])\s*/\s*(person|network)\s*$")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    scope: str  # "person" or "network"


def parse(rules: str) -> list[Limit]:
    """ "30/10m/person,300/10m/network" → its limits; a mistake fails loudly."""
    limits = []
    for rule in filter(None, (part.strip() for part in rules.split(","))):
        match = _RULE.match(rule)
        if match is None:
            raise ImproperlyConfigured(f"Rate limit {rule!r}: write it as 30/10m/person")
        count, times, unit, scope = match.groups()
        limits.append(Limit(int(count), int(times or 1) * _UNITS[unit], scope))
    return limits


def limits_for(action: str) -> list[Limit]:
    return parse(settings.RATE_LIMITS.get(action, ""))


# What a person over the limit is told, before when to come back.
TOO_FAST = {
    "submissions": gettext_lazy("You have sent many ideas in a short time."),
    "comments": gettext_lazy("You are commenting very fast."),
    "flags": gettext_lazy("You have reported a lot in a short time."),
    "follows": gettext_lazy("You have followed and unfollowed a lot in a short time."),
    "search": gettext_lazy("You have searched a lot in a short time."),
}


def _wait(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


def hit(*, action: str, tenant_id: int | None, person: str, ip: str | None) -> list[str]:
    """Count one attempt at `action` (one Redis round trip) and return the keys
    added to, for `take_back`. Over a limit, nothing stays counted and
    RateLimited says how long to wait."""
    now = time.time()
    network = network_of(ip)
    who = {"person": person, "network": network}
    counted = []
    for limit in limits_for(action):
        if not who[limit.scope]:
            continue
        window = int(now // limit.seconds)
        key = ":".join(
            ("ruche:rate", str(tenant_id or 0), action, limit.scope, who[limit.scope],
             str(limit.seconds), str(window))
        )  # fmt: skip
        counted.append((key, limit, (window + 1) * limit.seconds - now))
    if not counted:
        return []
    pipe = client().pipeline(transaction=False)
    for key, limit, _left in counted:
        pipe.incr(key)
        pipe.expire(key, limit.seconds + 60)
    results = pipe.execute()
    keys = [key for key, _limit, _left in counted]
    over = [
        (limit, left)
        for (_key, limit, left), value in zip(counted, results[::2], strict=True)
        if value > limit.count
    ]
    if over:
        take_back(keys)
        wait = max(1, math.ceil(max(left for _limit, left in over)))
        if any(limit.scope == "person" for limit, _left in over):
            reason = str(TOO_FAST.get(action, _("You are going very fast.")))
        else:
            reason = _("Many people on your network are doing the same right now.")
        raise RateLimited(
            f"{reason} " + _("Try again in %(wait)s.") % {"wait": _wait(wait)},
            retry_after=wait,
        )
    return keys


def take_back(keys: list[str]) -> None:
    """Undo an attempt's counts (it was refused, or not let through)."""
    if not keys:
        return
    pipe = client().pipeline(transaction=False)
    for key in keys:
        pipe.decr(key)
    pipe.execute()


def rate_limited(action: str, *, methods=("POST",), visitors: bool = False, when=None):
    """Limit a view (a function view or an API view's method) by RATE_LIMITS[action].

    Counts the `methods` requests of signed-in people (and of visitors too when
    `visitors`, by address) for which `when(request)` holds, if given. Over the
    limit: a 429, with Retry-After and the reason in the page's alerts (htmx), on
    a page, or as the API's JSON error; the view does not run. A request the view
    answers with a 4xx, or an error, does not count."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            # A function view gets the request first; an API view's method, second.
            request = args[0] if isinstance(args[0], HttpRequest) else args[1]
            signed_in = request.user.is_authenticated
            if (
                request.method not in methods
                or not (signed_in or visitors)
                or (when is not None and not when(request))
            ):
                return view(*args, **kwargs)
            ip = client_ip(request)
            tenant = getattr(request, "tenant", None)
            try:
                keys = hit(
                    action=action,
                    tenant_id=tenant.pk if tenant is not None else None,
                    person=f"user:{request.user.pk}" if signed_in else (f"ip:{ip}" if ip else ""),
                    ip=ip,
                )
            except RateLimited as exc:
                if not isinstance(args[0], HttpRequest):
                    raise  # the API's exception handler answers
                return refusal(
                    request,
                    status=exc.status,
                    code=exc.code,
                    message=exc.message,
                    retry_after=exc.retry_after,
                )
            try:
                response = view(*args, **kwargs)
            except BaseException:
                take_back(keys)
                raise
            if response.status_code >= 400:
                take_back(keys)
            return response

        return wrapper

    return decorator
