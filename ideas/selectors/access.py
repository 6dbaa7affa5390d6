"""One idea for its viewer, its author or the console (or 404), and its details."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.selectors import public_names
from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from core.permissions import CONSOLE_ROLES, has_role
from ideas.models import Coauthor, Comment, Idea, Media
from ideas.selectors.gallery import published_ideas

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


def ready_media_by_idea(idea_ids) -> dict[int, Media]:
    """{idea id: Media} of the ideas whose renditions are ready, in one query
    (pages that show a few ideas of their own, such as the winners)."""
    ids = [i for i in idea_ids if i]
    if not ids:
        return {}
    rows = Media.objects.filter(idea_id__in=ids, status=Media.Status.READY)
    return {media.idea_id: media for media in rows}


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
