"""Reads on ideas: the gallery (sorts, filters, search, keyset pages), an idea
for its viewer, similar ideas, the moderation queue, counts and history.

The gallery's cost does not depend on the number of ideas nor on the page
size: one query for the page of ideas (media joined), one for the authors'
public names, whatever the rows. Pages are keyset pages ("after this sort
value and this id"), so page 500 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import uuid
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEntry
from accounts.permissions import CONSOLE_ROLES, has_role
from accounts.selectors import audit_trail, public_names
from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from ideas.models import Coauthor, Comment, Flag, Idea, Media
from ideas.services import clean_text, search_config

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
        search = SearchQuery(
            query.q, search_type="websearch", config=search_config(campaign.tenant)
        )
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


# --- One idea -------------------------------------------------------------------------------


def _with_details(queryset: QuerySet[Idea]) -> QuerySet[Idea]:
    return queryset.select_related("campaign", "campaign__tenant", "media", "round", "merged_into")


def idea_for_viewer(request, public_id) -> Idea:
    """The idea as this visitor may see it, or 404 — the same 404 for missing,
    another tenant's, a challenge they may not see, or an idea not public
    (unless it is theirs, or they are on the brand's team).

    A merged idea is returned too: the view redirects to the idea it joined."""
    idea = _with_details(Idea.objects.filter(tenant=request.tenant, public_id=public_id)).first()
    if idea is None:
        raise Http404
    team = has_role(request.user, request.tenant, *CONSOLE_ROLES)
    if not team and not campaign_selectors.can_view(request, idea.campaign):
        raise Http404
    public = idea.state in (Idea.State.PUBLISHED, Idea.State.MERGED)
    mine = request.user.is_authenticated and idea.author_id == request.user.pk
    if not (public or mine or team):
        raise Http404
    return idea


def idea_for_author(request, public_id) -> Idea:
    """The signed-in person's own idea, or 404."""
    if not request.user.is_authenticated:
        raise Http404
    idea = _with_details(
        Idea.objects.filter(tenant=request.tenant, public_id=public_id, author=request.user)
    ).first()
    if idea is None:
        raise Http404
    return idea


def idea_for_console(request, public_id) -> Idea:
    idea = _with_details(Idea.objects.filter(tenant=request.tenant, public_id=public_id)).first()
    if idea is None:
        raise Http404
    return idea


def media_of(idea: Idea) -> Media | None:
    try:
        return idea.media
    except Media.DoesNotExist:
        return None


def comments_of(idea: Idea, *, viewer=None) -> list[Comment]:
    """Published comments, threaded (replies under their comment), with names;
    the viewer's own comments waiting for review are shown to them."""
    visible = Q(state=Comment.State.PUBLISHED) | Q(
        state=Comment.State.WITHDRAWN, replies__isnull=False
    )
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(author=viewer, state=Comment.State.PENDING)
    rows = list(
        Comment.objects.filter(idea=idea).filter(visible).distinct().order_by("created_at", "pk")
    )
    names = public_names(tenant=idea.tenant, user_ids=[c.author_id for c in rows if c.author_id])
    top, replies = [], {}
    for comment in rows:
        comment.author_name = names.get(comment.author_id) or str(_("Former participant"))
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
        else:
            top.append(comment)
    for comment in top:
        comment.thread = replies.get(comment.pk, [])
    return top


def coauthors_of(idea: Idea) -> list[dict]:
    rows = list(
        Coauthor.objects.filter(idea=idea, status=Coauthor.Status.ACCEPTED).order_by("created_at")
    )
    names = public_names(tenant=idea.tenant, user_ids=[c.user_id for c in rows if c.user_id])
    return [{"row": c, "name": names.get(c.user_id)} for c in rows]


def author_name(idea: Idea) -> str:
    if idea.author_id is None:
        return str(_("Former participant"))
    return public_names(tenant=idea.tenant, user_ids=[idea.author_id])[idea.author_id]


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
    search = SearchQuery(raw, search_type="raw", config=search_config(campaign.tenant))
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


def mine(request) -> list[Idea]:
    """The person's ideas; `idea.totals_shown` says whether its vote total may
    be shown to them now (their challenge may hide totals while voting runs)."""
    ideas = list(
        Idea.objects.filter(tenant=request.tenant, author=request.user)
        .select_related("campaign", "media")
        .prefetch_related("campaign__rounds")
        .order_by("-created_at")[:200]
    )
    shown = {}
    for idea in ideas:
        if idea.campaign_id not in shown:
            shown[idea.campaign_id] = campaign_selectors.vote_totals_shown(request, idea.campaign)
        idea.totals_shown = shown[idea.campaign_id]
    return ideas


# --- Counts for other pages ---------------------------------------------------------------


def idea_counts_by_campaign(campaigns) -> dict[int, int]:
    """{campaign.pk: published ideas}, one query (the console's challenge list)."""
    ids = [c.pk for c in campaigns]
    if not ids:
        return {}
    rows = (
        Idea.objects.filter(campaign_id__in=ids, state=Idea.State.PUBLISHED)
        .values("campaign_id")
        .annotate(n=Count("id"))
    )
    return {row["campaign_id"]: row["n"] for row in rows}


COUNTS_SECONDS = 60


def campaign_counts(campaign: Campaign) -> dict:
    """Ideas, comments and contributors of a challenge. Counting reads every
    published idea, so the figures are cached for a minute: a page shows them
    at the same cost whatever the challenge's size."""
    key = f"ideas:counts:{campaign.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = published_ideas(campaign).aggregate(
            ideas=Count("id"),
            comments=Coalesce(Sum("comment_count"), Value(0)),
            people=Count("author", distinct=True),
        )
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


# --- The console -----------------------------------------------------------------------------

QUEUE_FILTERS = {
    "waiting": _("Waiting for review"),
    "flagged": _("Flagged"),
    "hidden": _("Hidden"),
    "published": _("Published"),
    "rejected": _("Rejected"),
    "all": _("All"),
}


@dataclass
class QueueQuery:
    status: str = "waiting"
    campaign: str = ""  # slug
    reason: str = ""
    kind: str = ""
    q: str = ""
    cursor: str = ""

    @classmethod
    def from_params(cls, params) -> QueueQuery:
        status = params.get("status") or "waiting"
        reason = params.get("reason", "")
        kind = params.get("kind", "")
        return cls(
            status=status if status in QUEUE_FILTERS else "waiting",
            campaign=clean_text(str(params.get("campaign", "")), single_line=True)[:60],
            reason=reason if reason in Idea.Hold.values else "",
            kind=kind if kind in Idea.Kind.values else "",
            q=clean_text(str(params.get("q", "")), single_line=True)[:100],
            cursor=str(params.get("cursor", ""))[:200],
        )

    def params(self, **changes) -> dict:
        values = {
            "status": self.status,
            "campaign": self.campaign,
            "reason": self.reason,
            "kind": self.kind,
            "q": self.q,
            **changes,
        }
        return {k: v for k, v in values.items() if v}


def _queue_status(queryset, status: str, *, model):
    state = model.State
    if status == "waiting":
        queryset = queryset.filter(state=state.PENDING)
        if model is Idea:
            queryset = queryset.exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        return queryset
    if status == "flagged":
        return queryset.filter(flag_count__gt=0)
    if status in ("hidden", "published", "rejected"):
        return queryset.filter(state=status)
    return queryset


def moderation_queue(*, tenant, query: QueueQuery, page_size: int = 50):
    """Ideas for the moderators, oldest waiting first, with their media,
    challenge, open flags and authors' names (four queries whatever the page)."""
    ideas = _queue_status(Idea.objects.filter(tenant=tenant), query.status, model=Idea)
    if query.campaign:
        ideas = ideas.filter(campaign__slug=query.campaign)
    if query.reason:
        ideas = ideas.filter(hold_reasons__contains=[query.reason])
    if query.kind:
        ideas = ideas.filter(kind=query.kind)
    if query.q:
        ideas = ideas.filter(Q(title__icontains=query.q) | Q(body__icontains=query.q))
    after = _decode_cursor(query.cursor, "queue")
    if after is not None:
        ideas = ideas.filter(pk__gt=after[1])
    rows = list(ideas.select_related("campaign", "media").order_by("id")[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    _attach_flags(rows, field_name="idea_id")
    names = public_names(tenant=tenant, user_ids=[i.author_id for i in rows if i.author_id])
    for idea in rows:
        idea.author_name = names.get(idea.author_id) or str(_("Former participant"))
    next_cursor = _encode_cursor("queue", 0, rows[-1].pk) if more and rows else None
    return rows, next_cursor


def comment_queue(*, tenant, status: str = "waiting", page_size: int = 50):
    comments = _queue_status(Comment.objects.filter(tenant=tenant), status, model=Comment)
    rows = list(comments.select_related("idea", "idea__campaign").order_by("id")[:page_size])
    _attach_flags(rows, field_name="comment_id")
    names = public_names(tenant=tenant, user_ids=[c.author_id for c in rows if c.author_id])
    for comment in rows:
        comment.author_name = names.get(comment.author_id) or str(_("Former participant"))
    return rows


def _attach_flags(rows, *, field_name: str) -> None:
    if not rows:
        return
    flags = Flag.objects.filter(
        **{f"{field_name}__in": [r.pk for r in rows]}, resolved_at__isnull=True
    ).order_by("created_at")
    by_target: dict[int, list[Flag]] = {}
    for flag in flags:
        by_target.setdefault(getattr(flag, field_name), []).append(flag)
    for row in rows:
        row.open_flags = by_target.get(row.pk, [])


def ideas_for_moderation(*, tenant, public_ids) -> list[Idea]:
    return list(
        Idea.objects.filter(tenant=tenant, public_id__in=list(public_ids)).select_related(
            "campaign", "author"
        )
    )


def comments_for_moderation(*, tenant, public_ids) -> list[Comment]:
    return list(
        Comment.objects.filter(tenant=tenant, public_id__in=list(public_ids)).select_related(
            "idea", "author"
        )
    )


def history_of(idea: Idea) -> list[AuditEntry]:
    """Every decision on the idea and its comments, newest first (who, when, why)."""
    comments = Comment.objects.filter(idea=idea).only("public_id")
    return audit_trail(tenant=idea.tenant, targets=[idea, *comments])


def waiting_count(*, tenant) -> int:
    return (
        Idea.objects.filter(tenant=tenant, state=Idea.State.PENDING)
        .exclude(hold_reasons__contains=[Idea.Hold.MEDIA])
        .count()
    )


# --- Sitemaps ---------------------------------------------------------------------------------

SITEMAP_PAGE = 10_000


def sitemap_campaigns(tenant) -> list[Campaign]:
    """Challenges anyone may see (public audience, published)."""
    return list(
        Campaign.objects.filter(
            tenant=tenant,
            status__in=campaign_selectors.VISIBLE_STATUSES,
            audience=Campaign.Audience.PUBLIC,
        ).order_by("pk")
    )


def sitemap_idea_pages(tenant) -> int:
    count = Idea.objects.filter(
        tenant=tenant,
        state=Idea.State.PUBLISHED,
        campaign__in=[c.pk for c in sitemap_campaigns(tenant)],
    ).count()
    return max(1, -(-count // SITEMAP_PAGE))


def sitemap_ideas(tenant, page: int) -> list[tuple]:
    """(public_id, updated_at) of one page of public ideas, by id."""
    return list(
        Idea.objects.filter(
            tenant=tenant,
            state=Idea.State.PUBLISHED,
            campaign__in=[c.pk for c in sitemap_campaigns(tenant)],
        )
        .order_by("pk")
        .values_list("public_id", "updated_at")[(page - 1) * SITEMAP_PAGE : page * SITEMAP_PAGE]
    )
