"""Reads on votes: rankings (live and frozen), a person's votes, what the vote
button shows, the moderators' review.

A round's ranking counts the votes *counted* and *cast during the round's
voting window* ([starts_at, voting_ends_at)) for the round's eligible ideas:

- a weekly round covering "ideas submitted during the round": the published
  ideas submitted in it;
- a weekly round covering "every idea not awarded yet": the published ideas
  of the challenge, published before the round's voting ended, not awarded;
- the grand round: every published idea of the challenge (round winners left
  out when the challenge says they may not also win the grand prize).

Disqualified ideas are left out. Ties are broken by who reached the number
first (the earlier last vote), then by the earlier idea.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from campaigns import lifecycle
from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign, Round
from core.access import tenant_row_or_404
from ideas.models import Coauthor, Idea
from ideas.selectors import published_ideas
from voting import extensions
from voting.models import Disqualification, RankingEntry, RankingSnapshot, Vote

# --- Rankings -------------------------------------------------------------------------------


@dataclass
class RankingRow:
    idea: Idea
    votes: int
    rank: int | None
    position: int | None
    reached_at: dt.datetime | None = None
    disqualified: bool = False
    quarantined: int = 0


@dataclass
class Ranking:
    round: Round
    frozen: bool
    rows: list[RankingRow] = field(default_factory=list)
    frozen_at: dt.datetime | None = None
    corrected_at: dt.datetime | None = None

    @property
    def total_votes(self) -> int:
        return sum(row.votes for row in self.rows if not row.disqualified)


_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)


def sort_key(votes: int, reached_at, published_at, idea_id: int):
    """Most votes first; on a tie, who reached the number first, then the earlier idea."""
    return (-votes, reached_at or _FAR, published_at or _FAR, idea_id)


def assign_places(rows: list) -> None:
    """Set `rank` (shared by ties: 1, 2, 2, 4) and `position` (1…n) on rows
    already sorted with `sort_key`; disqualified rows get neither."""
    position = 0
    previous_votes, previous_rank = None, 0
    for row in rows:
        if row.disqualified:
            row.rank = row.position = None
            continue
        position += 1
        row.position = position
        row.rank = previous_rank if row.votes == previous_votes else position
        previous_votes, previous_rank = row.votes, row.rank


def campaign_rounds(campaign: Campaign) -> list[Round]:
    """The challenge's rounds (prefetched ones when the challenge has them)."""
    return sorted(campaign.rounds.all(), key=lambda r: r.index)


def overlapping_round_ids(round_: Round, rounds: list[Round]) -> list[int]:
    """Rounds whose votes may fall in `round_`'s voting window (a vote carries
    the round it was cast in; the grand round overlaps every weekly round)."""
    return [
        r.pk
        for r in rounds
        if r.starts_at < round_.voting_ends_at and round_.starts_at < r.voting_ends_at
    ]


def eligible_ideas(round_: Round) -> QuerySet[Idea]:
    campaign = round_.campaign
    ideas = published_ideas(campaign)
    exclude_awarded = False
    if round_.kind == Round.Kind.WEEKLY:
        if campaign.round_covers == Campaign.RoundCovers.SUBMITTED_IN_ROUND:
            ideas = ideas.filter(round=round_)
        else:
            ideas = ideas.filter(published_at__lt=round_.voting_ends_at)
            exclude_awarded = True
    else:
        exclude_awarded = not campaign.weekly_winners_can_win_grand
    if exclude_awarded:
        awarded = extensions.awarded_ideas(campaign)
        if awarded:
            ideas = ideas.exclude(pk__in=awarded)
    disqualified = Disqualification.objects.filter(tenant=campaign.tenant).values("idea_id")
    return ideas.exclude(pk__in=disqualified)


def window_votes(round_: Round, *, status: str = Vote.Status.COUNTED, rounds=None) -> QuerySet:
    """Votes of the given status cast in the round's voting window."""
    rounds = rounds if rounds is not None else campaign_rounds(round_.campaign)
    return Vote.objects.filter(
        tenant=round_.tenant_id,
        round_id__in=overlapping_round_ids(round_, rounds),
        status=status,
        cast_at__gte=round_.starts_at,
        cast_at__lt=round_.voting_ends_at,
    )


def live_ranking_rows(round_: Round, *, rounds=None) -> list[RankingRow]:
    """The ranking computed from the votes now: two queries."""
    tally = {
        row["idea"]: (row["votes"], row["reached_at"])
        for row in window_votes(round_, rounds=rounds)
        .values("idea")
        .annotate(votes=Count("id"), reached_at=Max("cast_at"))
        .order_by()
    }
    rows = []
    for idea in eligible_ideas(round_).order_by():
        votes, reached_at = tally.get(idea.pk, (0, None))
        rows.append(RankingRow(idea=idea, votes=votes, rank=None, position=None,
                               reached_at=reached_at))  # fmt: skip
    rows.sort(key=lambda r: sort_key(r.votes, r.reached_at, r.idea.published_at, r.idea.pk))
    assign_places(rows)
    return rows


def snapshot_of(round_: Round) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(tenant=round_.tenant_id, round=round_).first()


def ranking_for(round_: Round, *, limit: int | None = None) -> Ranking:
    """The round's ranking: frozen once its voting closed (`ranking_freeze`),
    live before. A constant number of queries, whatever the number of votes."""
    snapshot = snapshot_of(round_)
    if snapshot is None:
        rows = live_ranking_rows(round_)
        ranking = Ranking(round=round_, frozen=False, rows=rows)
    else:
        entries = (
            RankingEntry.objects.filter(snapshot=snapshot)
            .select_related("idea")
            .order_by(F("position").asc(nulls_last=True), "idea_id")
        )
        rows = [
            RankingRow(
                idea=e.idea,
                votes=e.votes,
                rank=e.rank,
                position=e.position,
                reached_at=e.reached_at,
                disqualified=e.disqualified,
            )
            for e in entries
        ]
        ranking = Ranking(
            round=round_,
            frozen=True,
            rows=rows,
            frozen_at=snapshot.frozen_at,
            corrected_at=snapshot.corrected_at,
        )
    if limit is not None:
        ranking.rows = ranking.rows[:limit]
    return ranking


def add_quarantined(ranking: Ranking) -> None:
    """For the console: how many votes of the round wait for review, per idea."""
    waiting = dict(
        window_votes(ranking.round, status=Vote.Status.QUARANTINED)
        .values("idea")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("idea", "n")
    )
    for row in ranking.rows:
        row.quarantined = waiting.get(row.idea.pk, 0)


def totals_visible(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> bool:
    """Vote totals show unless the challenge hides them while voting is open
    (rankings are still computed; the brand's team always sees them: ask
    `campaigns.selectors.vote_totals_shown` for a visitor)."""
    return not lifecycle.totals_hidden(campaign, at, rounds)


def round_for_viewer(request, public_id) -> Round:
    """A round of a challenge this visitor may see, or 404."""
    round_ = tenant_row_or_404(
        request, Round.objects.select_related("campaign", "campaign__tenant"), public_id=public_id
    )
    if not campaign_selectors.can_view(request, round_.campaign):
        raise Http404
    return round_


def idea_for_vote(request, public_id) -> Idea:
    """A published idea of a challenge this visitor may see, or 404 — the same
    404 for missing, another tenant's, not public, or a challenge not for them.
    The vote's hot path: one light query (ideas.selectors.idea_for_viewer also
    loads what an idea's page shows)."""
    idea = tenant_row_or_404(
        request,
        Idea.objects.select_related("campaign", "campaign__tenant"),
        public_id=public_id,
        state=Idea.State.PUBLISHED,
    )
    if not campaign_selectors.can_view(request, idea.campaign):
        raise Http404
    return idea


# --- One person's votes ---------------------------------------------------------------------


def vote_of(voter, idea: Idea) -> Vote | None:
    if not getattr(voter, "is_authenticated", False):
        return None
    return Vote.objects.filter(tenant=idea.tenant_id, idea=idea, voter=voter).first()


def votes_used(*, round_: Round, voter) -> int:
    """Votes the person cast in the round that use up their allowance (void ones do not)."""
    return Vote.objects.filter(round=round_, voter=voter).exclude(status=Vote.Status.VOID).count()


def votes_of(*, tenant, voter) -> QuerySet[Vote]:
    """The person's votes in the tenant, newest first (for "my votes")."""
    return (
        Vote.objects.filter(tenant=tenant, voter=voter)
        .select_related("idea", "idea__campaign", "round")
        .order_by("-cast_at", "-id")
    )


def annotate_gallery(request, ideas: list) -> None:
    """Gallery annotator (ideas.extensions): `idea.my_vote` is the person's vote
    status for each idea shown ("" when none) and `idea.coauthored` whether they
    are an accepted co-author (the vote rule's "own idea"): one query for the page."""
    user = getattr(request, "user", None)
    if not ideas:
        return
    rows = {}
    if user is not None and user.is_authenticated:
        tenant_id = ideas[0].tenant_id
        vote = Vote.objects.filter(tenant=tenant_id, voter=user, idea=OuterRef("pk"))
        coauthor = Coauthor.objects.filter(
            tenant=tenant_id, idea=OuterRef("pk"), user=user, status=Coauthor.Status.ACCEPTED
        )
        rows = {
            pk: (status or "", coauthored)
            for pk, status, coauthored in Idea.objects.filter(
                tenant=tenant_id, pk__in=[i.pk for i in ideas]
            )
            .annotate(status=Subquery(vote.values("status")[:1]), coauthored=Exists(coauthor))
            .values_list("pk", "status", "coauthored")
        }
    for idea in ideas:
        idea.my_vote, idea.coauthored = rows.get(idea.pk, ("", False))


# --- The moderators' review -----------------------------------------------------------------

REVIEW_STATUSES = (Vote.Status.QUARANTINED, Vote.Status.VOID, Vote.Status.COUNTED)


@dataclass
class ReviewQuery:
    status: str = Vote.Status.QUARANTINED
    campaign: str = ""  # slug
    idea: str = ""  # public id
    network: str = ""
    cursor: str = ""
    page_size: int = 100

    @classmethod
    def from_params(cls, params) -> ReviewQuery:
        status = params.get("status") or Vote.Status.QUARANTINED
        if status not in REVIEW_STATUSES:
            status = Vote.Status.QUARANTINED
        idea = str(params.get("idea") or "")
        try:
            idea = str(uuid.UUID(idea)) if idea else ""
        except ValueError:
            idea = ""
        try:
            page_size = max(1, min(500, int(params.get("page_size") or 100)))
        except (TypeError, ValueError):
            page_size = 100
        return cls(
            status=status,
            campaign=str(params.get("campaign") or "")[:60],
            idea=idea,
            network=str(params.get("network") or "")[:43],
            cursor=str(params.get("cursor") or "")[:200],
            page_size=page_size,
        )

    def params(self, **changes) -> dict:
        values = {
            "status": self.status,
            "campaign": self.campaign,
            "idea": self.idea,
            "network": self.network,
            "cursor": "",
        } | changes
        return {k: v for k, v in values.items() if v}


def _encode_cursor(cast_at: dt.datetime, pk: int) -> str:
    raw = json.dumps([cast_at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str):
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, pk = json.loads(raw)
        return dt.datetime.fromisoformat(when), int(pk)
    except (ValueError, TypeError):
        return None


def review_votes(*, tenant, query: ReviewQuery) -> QuerySet[Vote]:
    votes = Vote.objects.filter(tenant=tenant, status=query.status)
    if query.campaign:
        votes = votes.filter(idea__campaign__slug=query.campaign)
    if query.idea:
        votes = votes.filter(idea__public_id=query.idea)
    if query.network:
        votes = votes.filter(ip_network=query.network)
    return votes


def keyset_page(votes: QuerySet[Vote], *, cursor: str, page_size: int):
    """One page of votes, newest first, after `cursor`: (rows, next cursor or None)."""
    after = _decode_cursor(cursor)
    if after is not None:
        when, pk = after
        votes = votes.filter(Q(cast_at__lt=when) | Q(cast_at=when, pk__lt=pk))
    rows = list(votes.order_by("-cast_at", "-pk")[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = _encode_cursor(rows[-1].cast_at, rows[-1].pk) if more and rows else None
    return rows, next_cursor


def review_page(*, tenant, query: ReviewQuery) -> tuple[list[Vote], str | None]:
    """One page of votes to review, newest first (keyset): a constant number of queries."""
    votes = review_votes(tenant=tenant, query=query).select_related("idea", "idea__campaign")
    return keyset_page(votes, cursor=query.cursor, page_size=query.page_size)


def review_groups(*, tenant, query: ReviewQuery, limit: int = 20) -> list[dict]:
    """The biggest groups of the votes shown: idea and network, most votes first."""
    rows = (
        review_votes(tenant=tenant, query=ReviewQuery(status=query.status, campaign=query.campaign))
        .values("idea__public_id", "idea__title", "ip_network")
        .annotate(votes=Count("id"))
        .order_by("-votes", "idea__title")[:limit]
    )
    return list(rows)


def waiting_count(*, tenant) -> int:
    return Vote.objects.filter(tenant=tenant, status=Vote.Status.QUARANTINED).count()


def votes_for_review(*, tenant, public_ids) -> list[Vote]:
    return list(Vote.objects.filter(tenant=tenant, public_id__in=list(public_ids)))


def is_disqualified(idea: Idea) -> bool:
    return Disqualification.objects.filter(tenant=idea.tenant_id, idea=idea).exists()


def disqualifications(*, tenant) -> QuerySet[Disqualification]:
    return (
        Disqualification.objects.filter(tenant=tenant)
        .select_related("idea", "idea__campaign")
        .order_by("-created_at")
    )


def console_rounds(*, tenant) -> list[Round]:
    """Rounds of the tenant's published challenges, with whether each is frozen."""
    rounds = list(
        Round.objects.filter(tenant=tenant)
        .exclude(campaign__status=Campaign.Status.DRAFT)
        .select_related("campaign")
        .order_by("-campaign__starts_at", "campaign_id", "index")
    )
    frozen = set(RankingSnapshot.objects.filter(tenant=tenant).values_list("round_id", flat=True))
    for round_ in rounds:
        round_.is_frozen = round_.pk in frozen
    return rounds


# --- The brand's exports and weekly report --------------------------------------------


def votes_for_export(*, tenant, campaign=None) -> QuerySet[Vote]:
    """Every vote, oldest first, with its idea and round: the exports' rows
    (the voter is named by the caller's pseudonym, never by who they are)."""
    votes = Vote.objects.filter(tenant=tenant)
    if campaign is not None:
        votes = votes.filter(idea__campaign=campaign)
    return votes.select_related("idea", "idea__campaign", "round").order_by("cast_at", "pk")


def period_votes(*, tenant, start, end, top: int = 5) -> tuple[int, list[Idea]]:
    """The counted votes cast in [start, end), and the `top` ideas that won the
    most of them (each with `period_votes`), most first."""
    votes = Vote.objects.filter(
        tenant=tenant, status=Vote.Status.COUNTED, cast_at__gte=start, cast_at__lt=end
    )
    total = votes.count()
    ideas = list(
        Idea.objects.filter(tenant=tenant, state=Idea.State.PUBLISHED)
        .annotate(
            period_votes=Count(
                "votes",
                filter=Q(
                    votes__status=Vote.Status.COUNTED,
                    votes__cast_at__gte=start,
                    votes__cast_at__lt=end,
                ),
            )
        )
        .filter(period_votes__gt=0)
        .select_related("campaign")
        .order_by("-period_votes", "-vote_count", "pk")[:top]
    )
    return total, ideas


def votes_between(*, tenant, round_ids, since, until) -> list[dict]:
    """Votes cast in [since, until) in these rounds, void ones left out (for the
    dashboard's figures). By round so that the ranking index serves the query."""
    return list(
        Vote.objects.filter(
            tenant=tenant,
            round_id__in=list(round_ids),
            status__in=[Vote.Status.COUNTED, Vote.Status.QUARANTINED],
            cast_at__gte=since,
            cast_at__lt=until,
        )
        .values("idea_id", "idea__campaign_id", "round_id", "voter_id", "cast_at")
        .order_by("cast_at", "pk")
    )
