"""The gallery: published ideas by sort and filter, keyset pages, similar ideas."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import uuid
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchRank
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.utils.translation import gettext_lazy as _

from accounts.selectors import public_names
from campaigns.models import Campaign
from ideas.models import Idea
from ideas.services import clean_text, search_query

PAGE_SIZE = 24


MAX_PAGE_SIZE = 60


SORTS = {
    # name: (label, the field the index orders by)
    "round": (_("Most voted this round"), "round_vote_count"),
    "votes": (_("Most voted overall"), "vote_count"),
    "newest": (_("Newest"), "published_at"),
    "trending": (_("Trending"), "trending_score"),
}


DEFAULT_SORT = "newest"


RELEVANCE = "relevance"
# Orders made of the vote totals ("trending" weighs votes in, see
# services.trending_formula): not offered while a challenge hides its totals
# from the visitor (campaigns.selectors.vote_totals_shown).
VOTE_SORTS = ("round", "votes", "trending")


def sorts_offered(*, by_votes: bool = True) -> dict:
    return {key: value for key, value in SORTS.items() if by_votes or key not in VOTE_SORTS}


@dataclass
class GalleryQuery:
    """What a visitor asked the gallery for, cleaned."""

    sort: str = DEFAULT_SORT
    round: str = ""  # a round's public id
    tag: str = ""
    kind: str = ""
    q: str = ""
    cursor: str = ""
    page_size: int = PAGE_SIZE

    @classmethod
    def from_params(
        cls, params, *, default_sort: str = DEFAULT_SORT, by_votes: bool = True
    ) -> GalleryQuery:
        """`by_votes=False`: the visitor may not see the vote totals, so the
        sorts made of them fall back to the default."""
        q = clean_text(str(params.get("q", "")), single_line=True)[:100]
        sort = params.get("sort") or (RELEVANCE if q else default_sort)
        if sort not in sorts_offered(by_votes=by_votes) and not (sort == RELEVANCE and q):
            sort = RELEVANCE if q else default_sort
        kind = params.get("kind", "")
        try:
            size = int(params.get("page_size") or PAGE_SIZE)
        except (TypeError, ValueError):
            size = PAGE_SIZE
        try:
            round_id = str(uuid.UUID(str(params.get("round", ""))))
        except ValueError:
            round_id = ""
        return cls(
            sort=sort,
            round=round_id,
            tag=clean_text(str(params.get("tag", "")), single_line=True).lower()[:30],
            kind=kind if kind in Idea.Kind.values else "",
            q=q,
            cursor=str(params.get("cursor", ""))[:200],
            page_size=max(1, min(MAX_PAGE_SIZE, size)),
        )

    def params(self, **changes) -> dict:
        values = {
            "sort": self.sort,
            "round": self.round,
            "tag": self.tag,
            "kind": self.kind,
            "q": self.q,
            "page_size": self.page_size if self.page_size != PAGE_SIZE else "",
            **changes,
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class GalleryPage:
    ideas: list[Idea]
    next_cursor: str | None
    query: GalleryQuery
    names: dict = field(default_factory=dict)


def _encode_cursor(sort: str, value, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([sort, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str):
    """(value, pk) or None for a missing, foreign or malformed cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, pk = json.loads(raw)
        if cursor_sort != sort or type(pk) is not int or not 0 < pk < 2**63:
            return None
        if sort == "newest":  # the only sort on a date
            value = dt.datetime.fromisoformat(value["dt"])
            if value.tzinfo is None:
                return None
        elif sort in ("votes", "round", "queue"):  # 32-bit integer columns
            if type(value) is not int or abs(value) >= 2**31:
                return None
        elif type(value) not in (int, float) or not math.isfinite(value):
            return None
        return value, pk
    except (ValueError, TypeError, KeyError, OverflowError):
        return None


def published_ideas(campaign: Campaign) -> QuerySet[Idea]:
    return Idea.objects.filter(
        tenant=campaign.tenant, campaign=campaign, state=Idea.State.PUBLISHED
    )


def gallery_page(campaign: Campaign, query: GalleryQuery) -> GalleryPage:
    """One page of a challenge's published ideas: two queries, whatever the
    number of ideas or the page size (plus one per registered annotator)."""
    ideas = published_ideas(campaign).select_related("media", "round")
    if query.round:
        ideas = ideas.filter(round__public_id=query.round)
    if query.tag:
        ideas = ideas.filter(tags__contains=[query.tag])
    if query.kind:
        ideas = ideas.filter(kind=query.kind)
    if query.q:
        search = search_query(query.q)
        ideas = ideas.filter(search_vector=search)
        if query.sort == RELEVANCE:
            ideas = ideas.annotate(relevance=SearchRank(F("search_vector"), search))
    key = "relevance" if query.sort == RELEVANCE else SORTS[query.sort][1]
    after = _decode_cursor(query.cursor, query.sort)
    if after is not None:
        ideas = ideas.filter(TupleLessThan(Tuple(F(key), F("id")), list(after)))
    rows = list(ideas.order_by(F(key).desc(), F("id").desc())[: query.page_size + 1])
    more = len(rows) > query.page_size
    rows = rows[: query.page_size]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode_cursor(query.sort, getattr(last, key), last.pk)
    names = public_names(
        tenant=campaign.tenant, user_ids=[i.author_id for i in rows if i.author_id]
    ) if rows else {}  # fmt: skip
    for idea in rows:
        idea.campaign = campaign  # the same row: no query per idea when it is read
        idea.author_name = names.get(idea.author_id) or str(_("Former participant"))
    return GalleryPage(ideas=rows, next_cursor=next_cursor, query=query, names=names)


def tags_of(campaign: Campaign) -> list[str]:
    """The challenge's themes, the tags people can filter on."""
    return list(campaign.themes)


def similar_ideas(
    campaign: Campaign, title: str, *, exclude=None, limit: int = 5, by_votes: bool = True
) -> list[Idea]:
    """Up to `limit` published ideas of the challenge sharing words with
    `title` (full-text, any word, prefix match), best first; among equals, the
    most voted first (`by_votes`) or the newest."""
    words = [w for w in re.findall(r"\w+", title.lower()) if len(w) >= 3][:12]
    if not words:
        return []
    # Each word becomes a prefix lexeme; only letters and digits reach to_tsquery.
    raw = " | ".join(f"{w}:*" for w in words)
    search = search_query(raw, search_type="raw")
    ideas = (
        published_ideas(campaign)
        .filter(search_vector=search)
        .annotate(relevance=SearchRank(F("search_vector"), search))
        .select_related("media")
        .order_by("-relevance", "-vote_count" if by_votes else "-published_at", "-id")
    )
    if exclude is not None:
        ideas = ideas.exclude(pk=exclude.pk)
    rows = list(ideas[:limit])
    for idea in rows:
        idea.campaign = campaign
    return rows
