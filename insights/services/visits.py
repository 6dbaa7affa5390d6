"""Page views from the Redis queue (insights.visits) into PageView rows.

One drainer at a time (a Redis lock): it reads a batch from the head of the
list, writes it, then trims it. A drainer that dies between the write and the
trim leaves the batch to the next one, whose rows collide on `event_id` and are
skipped: a view is never lost and never counted twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

from django.db import transaction
from django_scopes import scope

from accounts import selectors as account_selectors
from campaigns import selectors as campaign_selectors
from core.ratelimit import client
from ideas import selectors as idea_selectors
from insights.models import PageView, Source
from insights.visits import QUEUE_KEY
from tenants import selectors as tenant_selectors
from tenants.models import Tenant

logger = logging.getLogger(__name__)

LOCK_KEY = "insights:drain-lock"
BATCH_SIZE = 5000

SEARCH_ENGINES = (
    "google.", "bing.", "duckduckgo.", "yahoo.", "ecosia.", "qwant.", "baidu.",
    "yandex.", "startpage.", "search.brave.",
)  # fmt: skip
# Referrer host (or its end) → network.
SOCIAL_NETWORKS = {
    "t.co": Source.X, "twitter.com": Source.X, "x.com": Source.X,
    "facebook.com": Source.FACEBOOK, "fb.me": Source.FACEBOOK, "messenger.com": Source.FACEBOOK,
    "linkedin.com": Source.LINKEDIN, "lnkd.in": Source.LINKEDIN,
    "whatsapp.com": Source.WHATSAPP, "wa.me": Source.WHATSAPP,
    "instagram.com": Source.INSTAGRAM,
}  # fmt: skip
WEBMAIL = ("mail.google.com", "outlook.live.com", "outlook.office.com", "mail.yahoo.com")


def _is_under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def source_of(*, src: str, referrer_host: str, brand_domains: set[str]) -> str:
    """The source of an arrival: the share link's `src`, else the referrer's host
    grouped (search engines, social networks by name, the brand's site, others);
    no referrer is "direct"."""
    if src:
        return src
    host = referrer_host.lower().removeprefix("www.")
    if not host:
        return Source.DIRECT
    if any(_is_under(host, mail) for mail in WEBMAIL):
        return Source.EMAIL
    for domain, network in SOCIAL_NETWORKS.items():
        if _is_under(host, domain):
            return network
    if any(f".{engine}" in f".{host}" for engine in SEARCH_ENGINES):
        return Source.SEARCH
    if any(_is_under(host, domain) for domain in brand_domains):
        return Source.BRAND
    return Source.OTHER


def brand_domains(tenant: Tenant) -> set[str]:
    """The brand's own sites: its other hosts here and its staff e-mail domains."""
    domains = set(tenant_selectors.hostnames_of(tenant))
    domains.update(d.lower() for d in account_selectors.signin_policy(tenant).staff_email_domains)
    return domains


def _parse(raw: bytes) -> dict | None:
    try:
        event = json.loads(raw)
        event["id"] = uuid.UUID(event["id"])
        event["at"] = dt.datetime.fromisoformat(event["at"])
        event["day"] = dt.date.fromisoformat(event["day"])
        int(event["t"])
    except (ValueError, KeyError, TypeError):
        logger.warning("insights: a malformed page view was dropped")
        return None
    return event


def _rows_for_tenant(tenant: Tenant, events: list[dict]) -> list[PageView]:
    slugs = {e["ref"] for e in events if e["p"] in ("challenge", "gallery")}
    idea_ids = {e["ref"] for e in events if e["p"] == "idea"}
    campaigns = campaign_selectors.campaign_ids_by_slug(tenant=tenant, slugs=slugs)
    ideas = idea_selectors.ideas_by_public_id(tenant=tenant, public_ids=idea_ids)
    domains = brand_domains(tenant)
    rows = []
    for event in events:
        campaign_id = idea_id = None
        if event["p"] == "idea":
            idea_id, campaign_id = ideas.get(event["ref"], (None, None))
            if idea_id is None:  # deleted since: the view no longer belongs anywhere
                continue
        elif event["p"] != "home":
            campaign_id = campaigns.get(event["ref"])
            if campaign_id is None:
                continue
        internal = bool(event.get("in")) and not event.get("src")
        rows.append(
            PageView(
                tenant=tenant,
                campaign_id=campaign_id,
                idea_id=idea_id,
                user_id=event.get("u"),
                event_id=event["id"],
                viewed_at=event["at"],
                day=event["day"],
                visitor_key=event["v"][:32],
                page=event["p"][:12],
                source=Source.DIRECT
                if internal
                else source_of(
                    src=event.get("src", ""),
                    referrer_host=event.get("rh", ""),
                    brand_domains=domains,
                ),
                internal=internal,
                shared=bool(event.get("src")),
                device=event.get("d", "desktop")[:8],
                language=event.get("l", "")[:8],
            )
        )
    return rows


def _write(events: list[dict]) -> set[tuple[int, dt.date]]:
    by_tenant: dict[int, list[dict]] = {}
    for event in events:
        by_tenant.setdefault(int(event["t"]), []).append(event)
    touched = set()
    for tenant in Tenant.objects.filter(pk__in=by_tenant):
        with scope(tenant=tenant), transaction.atomic():
            rows = _rows_for_tenant(tenant, by_tenant[tenant.pk])
            PageView.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        touched.update((tenant.pk, row.day) for row in rows)
    return touched


def visits_drain(
    *, batch_size: int = BATCH_SIZE, max_batches: int = 100
) -> set[tuple[int, dt.date]]:
    """Move the queued page views into PageView; returns the (tenant id, day)
    pairs that received views. Does nothing while another drainer runs."""
    r = client()
    lock = r.lock(LOCK_KEY, timeout=300, blocking=False)
    if not lock.acquire():
        return set()
    touched: set[tuple[int, dt.date]] = set()
    try:
        for _ in range(max_batches):
            raw = r.lrange(QUEUE_KEY, 0, batch_size - 1)
            if not raw:
                break
            events = [e for e in map(_parse, raw) if e is not None]
            touched |= _write(events)
            r.ltrim(QUEUE_KEY, len(raw), -1)
    finally:
        lock.release()
    return touched
