"""Counting visits without trackers: what a page view costs the request.

A view of a public page becomes one small JSON event pushed onto a Redis list
(one Redis command); the beat task folds the list into PageView rows
(services.folding). Nothing is written to the visitor's browser, and the
address is used only inside the request, to make the day's visitor key:

    key = blake2b(salt of the day ‖ tenant ‖ address ‖ user-agent)

The salt is random, one per (tenant-local) date, kept in Redis and deleted by
Redis two days later: once gone, nobody can recompute a key from an address,
and yesterday's key of a person has nothing in common with today's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import uuid
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import redis
from django.conf import settings
from django.utils import timezone

from core.ratelimit import client, client_ip

logger = logging.getLogger(__name__)

QUEUE_KEY = "insights:views"
SALT_KEY = "insights:salt:{date}"
# A tenant-local date runs from UTC-12 to UTC+14: its salt serves for at most
# ~50 hours, then Redis deletes it.
SALT_LIFETIME = dt.timedelta(days=3)

# The public pages that count, by URL name, and what they are.
PAGES = {
    "home": "home",
    "campaigns:detail": "challenge",
    "ideas:gallery": "gallery",
    "ideas:detail": "idea",
}
# The `?src=` a share button adds to its link (ideas.sharing.share_links).
SHARE_SOURCES = {"x", "facebook", "linkedin", "whatsapp", "email", "link"}

_salts: dict[tuple[str, str], bytes] = {}


def salt_for(day: dt.date) -> bytes:
    """The salt of a tenant-local date: made once by whichever process asks
    first (SET NX), read once per process and date afterwards."""
    r = client()
    memo_key = (settings.REDIS_URL, day.isoformat())
    salt = _salts.get(memo_key)
    if salt is not None:
        return salt
    key = SALT_KEY.format(date=day.isoformat())
    expires = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + SALT_LIFETIME
    r.set(key, secrets.token_hex(32), nx=True, exat=int(expires.timestamp()))
    value = r.get(key)
    if value is None:  # deleted meanwhile (a flushed Redis): nothing to count with
        raise redis.RedisError("no salt")
    for stale in [k for k in _salts if k[1] != day.isoformat()]:
        _salts.pop(stale, None)
    _salts[memo_key] = value
    return value


def forget_salts() -> None:
    """Drop the per-process copies (a Redis that was emptied, in tests)."""
    _salts.clear()


def visitor_key(*, salt: bytes, tenant_id: int, ip: str, user_agent: str) -> str:
    material = b"\x00".join([salt, str(tenant_id).encode(), ip.encode(), user_agent.encode()])
    return hashlib.blake2b(material, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def _crawler_detect():
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


@lru_cache(maxsize=4096)
def browser_of(user_agent: str) -> str | None:
    """ "phone", "tablet" or "desktop"; None for a bot (or no browser at all).
    User-agents repeat: each is parsed once per process."""
    if not user_agent:
        return None
    from user_agents import parse

    if _crawler_detect().isCrawler(user_agent):
        return None
    parsed = parse(user_agent)
    if parsed.is_bot:
        return None
    if parsed.is_mobile:
        return "phone"
    if parsed.is_tablet:
        return "tablet"
    return "desktop"


def _referrer_host(request) -> str:
    referrer = request.META.get("HTTP_REFERER", "")
    try:
        return (urlsplit(referrer).hostname or "")[:253]
    except ValueError:
        return ""


def page_event(request, *, page: str, ref: str) -> dict | None:
    """The event of one page view, or None when it is not counted (a bot)."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    device = browser_of(user_agent)
    if device is None:
        return None
    tenant = request.tenant
    now = timezone.now()
    day = timezone.localtime(now, ZoneInfo(tenant.time_zone)).date()
    ip = client_ip(request) or ""
    referrer = _referrer_host(request)
    src = request.GET.get("src", "")
    user = getattr(request, "user", None)
    return {
        "id": uuid.uuid4().hex,
        "t": tenant.pk,
        "at": now.isoformat(),
        "day": day.isoformat(),
        "v": visitor_key(salt=salt_for(day), tenant_id=tenant.pk, ip=ip, user_agent=user_agent),
        "u": user.pk if user is not None and user.is_authenticated else None,
        "p": page,
        "ref": ref,
        "src": src if src in SHARE_SOURCES else "",
        "rh": "" if referrer == request.get_host().split(":")[0] else referrer,
        "in": referrer == request.get_host().split(":")[0],
        "d": device,
        "l": (getattr(request, "LANGUAGE_CODE", "") or "")[:8],
    }


def record(request, *, page: str, ref: str) -> None:
    """Count a view: one RPUSH. A Redis outage loses the count, never the page."""
    try:
        event = page_event(request, page=page, ref=ref)
        if event is not None:
            client().rpush(QUEUE_KEY, json.dumps(event, separators=(",", ":")))
    except redis.RedisError:
        logger.warning("insights: a page view was not counted (Redis unavailable)")
