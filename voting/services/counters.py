"""An idea's vote counters (all-time and this round), written by this module
only: `counters_adjust` applies the deltas of votes that start or stop
counting (the vote's hot path, one UPDATE per idea), `counters_recount` sets
them afresh from the counted votes (a round that starts, a merge)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ideas.models import Idea
from voting.models import (
    Disqualification,
    RoundCounter,
    Vote,
)

# One statement: the idea must still take votes (published, not disqualified),
# and `round_vote_count` moves only for a vote of the round it counts now.
_INCREMENT = """
UPDATE {ideas} AS idea
SET vote_count = idea.vote_count + %(delta)s,
    round_vote_count = idea.round_vote_count + CASE WHEN EXISTS (
        SELECT 1 FROM {counters} AS counter
        WHERE counter.campaign_id = idea.campaign_id AND counter.round_id = %(round)s
    ) THEN %(delta)s ELSE 0 END
WHERE idea.id = %(idea)s AND idea.state = 'published'
  AND NOT EXISTS (SELECT 1 FROM {disqualified} AS d WHERE d.idea_id = idea.id)
RETURNING idea.vote_count, idea.round_vote_count
"""


def _sql(template: str) -> str:
    return template.format(
        votes=Vote._meta.db_table,
        ideas=Idea._meta.db_table,
        counters=RoundCounter._meta.db_table,
        disqualified=Disqualification._meta.db_table,
    )


def counters_count_vote(*, idea_id: int, round_id: int) -> tuple[int, int] | None:
    """One new counted vote: the idea's counters move by one in a single
    statement that also checks the idea still takes votes. Returns the new
    (all-time, this round) counts, or None when the idea takes no more votes."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(_INCREMENT), {"delta": 1, "round": round_id, "idea": idea_id})
        return cursor.fetchone()


def _counts_of(idea_id: int) -> tuple[int, int]:
    row = Idea.objects.filter(pk=idea_id).values_list("vote_count", "round_vote_count").first()
    return row or (0, 0)


def counters_adjust(changes: list[tuple[Vote, int]]) -> None:
    """Apply counted-vote deltas to the ideas' counters (a delta per vote: +1
    when a vote starts counting, -1 when it stops). Call while holding the
    counters locks (shared) of the campaigns concerned."""
    if not changes:
        return
    idea_ids = {vote.idea_id for vote, _delta in changes}
    campaign_of = dict(Idea.objects.filter(pk__in=idea_ids).values_list("pk", "campaign_id"))
    counting = dict(
        RoundCounter.objects.filter(campaign_id__in=set(campaign_of.values())).values_list(
            "campaign_id", "round_id"
        )
    )
    deltas: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for vote, delta in changes:
        if vote.idea_id not in campaign_of:
            continue  # the idea is gone
        deltas[vote.idea_id][0] += delta
        if counting.get(campaign_of[vote.idea_id]) == vote.round_id:
            deltas[vote.idea_id][1] += delta
    for idea_id in sorted(deltas):  # one order everywhere: no deadlock between two of these
        total, in_round = deltas[idea_id]
        if total or in_round:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Idea._meta.db_table} SET vote_count = vote_count + %s, "  # noqa: S608
                    "round_vote_count = round_vote_count + %s WHERE id = %s",
                    [total, in_round, idea_id],
                )


def counters_recount(*, ideas, round_id: int | None, all_time: bool = True) -> None:
    """Set the counters of `ideas` (a queryset) from their counted votes: "this
    round" for `round_id` (0 without one) and, unless `all_time` is False, the
    all-time count. One UPDATE. Call while holding the counters lock (exclusive)
    of the campaign concerned."""

    def counted(**filters):
        votes = Vote.objects.filter(idea=OuterRef("pk"), status=Vote.Status.COUNTED, **filters)
        per_idea = votes.values("idea").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(per_idea), Value(0))

    fields = {"round_vote_count": counted(round_id=round_id) if round_id else Value(0)}
    if all_time:
        fields["vote_count"] = counted()
    ideas.update(**fields)
