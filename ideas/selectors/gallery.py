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
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.utils.translation import gettext_lazy as _
from pgvector.django import CosineDistance

from accounts.selectors import public_names
from campaigns.models import Campaign
from ideas import meaning
from ideas.models import Idea, IdeaEmbedding
from ideas.services import SEARCH_CONFIGS, clean_text, search_query

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


# Similar ideas blend two signals: what the words share (full text, prefix
# match, in any of the platform's languages) and what the texts mean (sentence
# embeddings, across languages). Cosine similarity between a typed title and an
# idea (ideas.meaning.embed_idea): a translation scores 0.45-0.8, an unrelated
# tip 0.05-0.38.
MEANING_MIN_SIMILARITY = 0.42
MEANING_WEIGHT = 0.7
WORDS_WEIGHT = 0.3
WORDS_RANK_HALF = 0.1  # the rank that counts for half
# Below this blended score an idea only shares a common word with the title
# (a stop word of one language is a word in another: "cada" in English).
SIMILAR_MIN_SCORE = 0.1
# Fewer letters than this mean little to the encoder: only words are matched.
MEANING_MIN_LETTERS = 12
# How many candidates the embedding index visits before the challenge's are kept
# (pgvector filters after the index scan).
HNSW_EF_SEARCH = 200


def similar_ideas(
    campaign: Campaign, title: str, *, exclude=None, limit: int = 5, by_votes: bool = True
) -> list[Idea]:
    """Up to `limit` published ideas of the challenge that say the same thing
    as `title`, in any language, best first: words in common (full text, any
    word, prefix match) and meaning (embeddings) blended; among equals, the most
    voted first (`by_votes`) or the newest. The same few queries whatever the
    number of ideas (stop words, words, meaning, the ideas)."""
    by_words = _similar_by_words(campaign, title, exclude=exclude, limit=limit * 2)
    by_meaning = _similar_by_meaning(campaign, title, exclude=exclude, limit=limit * 2)
    if not by_words and not by_meaning:
        return []
    scores = {
        pk: MEANING_WEIGHT * by_meaning.get(pk, 0.0)
        + WORDS_WEIGHT * _words_score(by_words.get(pk, 0.0))
        for pk in {*by_words, *by_meaning}
    }
    scores = {pk: score for pk, score in scores.items() if score >= SIMILAR_MIN_SCORE}
    found = published_ideas(campaign).filter(pk__in=list(scores)).select_related("media")
    ideas = {idea.pk: idea for idea in found}
    tie = (lambda i: i.vote_count) if by_votes else (lambda i: i.published_at)
    rows = sorted(ideas.values(), key=lambda i: (scores[i.pk], tie(i), i.pk), reverse=True)
    rows = rows[:limit]
    for idea in rows:
        idea.campaign = campaign
    return rows


def _words_score(rank: float) -> float:
    """ts_rank (about 0.03 for one word of the text, 0.1-0.6 for words of the
    title) onto 0-1, the same for every query: a lone common word stays low."""
    return rank / (rank + WORDS_RANK_HALF)


def _content_words(words: list[str]) -> list[str]:
    """The words that are a stop word in none of the platform's languages: the
    title is read in all three, and "con", "les" or "the" would otherwise match
    half the challenge (one small query, no table read)."""
    if not words:
        return []
    configs = list(SEARCH_CONFIGS.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) WITH ORDINALITY AS t(word, n) "
            "WHERE NOT EXISTS (SELECT 1 FROM unnest(%s::regconfig[]) AS config "
            "WHERE to_tsvector(config, search_fold(word)) = ''::tsvector) ORDER BY n",
            [words, configs],
        )
        return [row[0] for row in cursor.fetchall()]


def _similar_by_words(campaign: Campaign, title: str, *, exclude, limit: int) -> dict[int, float]:
    words = _content_words([w for w in re.findall(r"\w+", title.lower()) if len(w) >= 3][:12])
    if not words:
        return {}
    # Each word becomes a prefix lexeme; only letters and digits reach to_tsquery.
    raw = " | ".join(f"{w}:*" for w in words)
    search = search_query(raw, search_type="raw")
    ideas = (
        published_ideas(campaign)
        .filter(search_vector=search)
        .annotate(relevance=SearchRank(F("search_vector"), search))
        .order_by("-relevance", "-id")
    )
    if exclude is not None:
        ideas = ideas.exclude(pk=exclude.pk)
    return dict(ideas.values_list("pk", "relevance")[:limit])


def _similar_by_meaning(campaign: Campaign, title: str, *, exclude, limit: int) -> dict[int, float]:
    if len(re.findall(r"[^\W\d_]", title)) < MEANING_MIN_LETTERS:
        return {}
    vector = meaning.embed([title.strip()])[0]
    distance = CosineDistance("vector", vector)
    rows = (
        IdeaEmbedding.objects.filter(
            tenant=campaign.tenant, campaign=campaign, idea__state=Idea.State.PUBLISHED
        )
        .annotate(distance=distance)
        .filter(distance__lte=1 - MEANING_MIN_SIMILARITY)
        .order_by("distance")
    )
    if exclude is not None:
        rows = rows.exclude(idea_id=exclude.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.ef_search = %s", [HNSW_EF_SEARCH])
        return {idea_id: 1 - d for idea_id, d in rows.values_list("idea_id", "distance")[:limit]}
