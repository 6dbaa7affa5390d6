"""A round's aggregate: every idea's score from the jurors' marks, and its rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from campaigns.models import Prize, Round
from ideas.models import Idea
from juries import aggregation
from juries.models import (
    Assignment,
    RoundCriterion,
    Score,
    Shortlist,
    ShortlistEntry,
)
from juries.selectors.access import JURY_NEVER_READS
from juries.selectors.dashboard import _criterion_input, criteria_of


@dataclass
class RoundAggregate:
    """A round's aggregate with the rows it was computed from, for pages,
    exports and the frozen decision."""

    shortlist: Shortlist
    aggregate: aggregation.Aggregate
    criteria: list[RoundCriterion]
    entries: dict = field(default_factory=dict)  # idea pk → ShortlistEntry (idea loaded)
    jurors: dict = field(default_factory=dict)  # user pk → User
    # (juror pk, state) of every assignment of the round: the jury's progress.
    assignment_states: list = field(default_factory=list)

    def entry_of(self, idea_key) -> ShortlistEntry:
        return self.entries[idea_key]

    def idea_of(self, idea_key) -> Idea:
        return self.entries[idea_key].idea

    @cached_property
    def rows(self) -> list[dict]:
        """The ranking for a template: entry, result, and whether it is proposed."""
        proposed = set(self.aggregate.proposed)
        return [
            {"entry": self.entries[r.key], "result": r, "proposed": r.key in proposed}
            for r in self.aggregate.ideas
        ]

    @cached_property
    def juror_rows(self) -> list[dict]:
        return [{"user": self.jurors.get(j.key), "result": j} for j in self.aggregate.jurors]

    def as_json(self) -> dict:
        def number(value):
            return None if value is None else round(value, 6)

        return {
            "method": self.aggregate.method,
            "outlier_points": aggregation.OUTLIER_POINTS,
            "criteria": [
                {
                    "name": c.name,
                    "weight": c.weight,
                    "scale_min": c.scale_min,
                    "scale_max": c.scale_max,
                }
                for c in self.criteria
            ],
            "ideas": [
                {
                    "entry": str(self.entries[r.key].public_id),
                    "idea": str(self.entries[r.key].idea.public_id),
                    "title": self.entries[r.key].idea.title,
                    "source": self.entries[r.key].source,
                    "rank": r.rank,
                    "aggregate": number(r.aggregate),
                    "mean": number(r.mean),
                    "spread": number(r.spread),
                    "low": number(r.low),
                    "high": number(r.high),
                    "counted": r.counted,
                    "recused": r.recused,
                    "missing": r.missing,
                    "round_votes": r.round_votes,
                    "eligible": r.eligible,
                    "jurors": {
                        str(self.jurors[k].public_id): number(v)
                        for k, v in r.juror_scores.items()
                        if k in self.jurors
                    },
                }
                for r in self.aggregate.ideas
            ],
            "jurors": [
                {
                    "juror": str(self.jurors[j.key].public_id),
                    "name": self.jurors[j.key].public_name,
                    "submitted": j.submitted,
                    "pending": j.pending,
                    "recused": j.recused,
                    "mean": number(j.mean),
                    "deviation": number(j.deviation),
                    "outlier": j.outlier,
                }
                for j in self.aggregate.jurors
                if j.key in self.jurors
            ],
            "proposed": [str(self.entries[k].public_id) for k in self.aggregate.proposed],
        }


def prize_places(round_: Round) -> int:
    """How many winners the round has: one per prize of its kind, one at least.
    A round loaded by `round_for_member` knows its count already."""
    count = getattr(round_, "known_prize_count", None)
    if count is None:
        count = Prize.objects.filter(campaign_id=round_.campaign_id, round_kind=round_.kind).count()
    return max(1, count)


def round_aggregate(
    shortlist: Shortlist,
    *,
    normalise: bool | None = None,
    criteria: list[RoundCriterion] | None = None,
    users: dict | None = None,
) -> RoundAggregate:
    """The live aggregate of a round (four queries, whatever its size; fewer
    when the page passes the criteria and the jurors' users {pk: user} it has)."""
    from django.contrib.auth import get_user_model

    if normalise is None:
        normalise = shortlist.jury.normalise
    if criteria is None:
        criteria = criteria_of(shortlist)
    entries = {
        e.idea_id: e
        for e in ShortlistEntry.objects.filter(shortlist=shortlist)
        .select_related("idea")
        .defer(*(f"idea__{name}" for name in JURY_NEVER_READS))
        .order_by("created_at", "pk")
    }
    # Plain values, not model instances: a round of 100 ideas and 50 jurors is
    # 5,000 score sheets and 15,000 scores, read in one query (a sheet's row
    # once per score it has, once with no score).
    assignments: dict[int, tuple] = {}
    values: dict[int, dict] = {}
    for pk, juror_id, idea_id, state, criterion_id, value in Assignment.objects.filter(
        round_id=shortlist.round_id
    ).values_list("pk", "juror_id", "idea_id", "state", "scores__criterion_id", "scores__value"):
        assignments.setdefault(pk, (juror_id, idea_id, state))
        if criterion_id is not None:
            values.setdefault(pk, {})[criterion_id] = value
    ideas = [
        aggregation.IdeaInput(
            key=idea_id,
            round_votes=entry.round_votes,
            submitted_at=entry.idea.submitted_at or entry.idea.created_at,
            order=idea_id,
            eligible=entry.idea.state == Idea.State.PUBLISHED,
        )
        for idea_id, entry in entries.items()
    ]
    inputs = [
        aggregation.AssignmentInput(
            juror=juror_id, idea=idea_id, state=state, values=values.get(pk, {})
        )
        for pk, (juror_id, idea_id, state) in assignments.items()
    ]
    result = aggregation.compute(
        criteria=[_criterion_input(c) for c in criteria],
        ideas=ideas,
        assignments=inputs,
        normalise=normalise,
        winners=prize_places(shortlist.round),
    )
    jurors = {row[0] for row in assignments.values()}
    known = {pk: user for pk, user in (users or {}).items() if pk in jurors}
    missing = jurors - set(known)
    if missing:
        known.update({u.pk: u for u in get_user_model().objects.filter(pk__in=missing)})
    return RoundAggregate(
        shortlist=shortlist,
        aggregate=result,
        criteria=criteria,
        entries=entries,
        jurors=known,
        assignment_states=[(juror, state) for juror, _idea, state in assignments.values()],
    )


def round_scores_rows(shortlist: Shortlist) -> list[dict]:
    """Every submitted score and every conflict of interest of a round, as rows
    (the decision freezes them; the CSV export writes them). Private notes are
    never included. Five queries, plain values: thousands of score sheets cost
    milliseconds."""
    from django.contrib.auth import get_user_model

    criteria = criteria_of(shortlist)
    entries = dict(
        ShortlistEntry.objects.filter(shortlist=shortlist).values_list("idea_id", "public_id")
    )
    titles = dict(Idea.objects.filter(pk__in=list(entries)).values_list("pk", "title"))
    assignments = list(
        Assignment.objects.filter(
            round_id=shortlist.round_id,
            state__in=[Assignment.State.SUBMITTED, Assignment.State.RECUSED],
        )
        .order_by("entry__created_at", "entry_id", "juror_id")
        .values_list(
            "pk", "idea_id", "juror_id", "state", "recusal_reason", "submitted_at", "recused_at"
        )
    )
    values: dict[int, dict] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment__round_id=shortlist.round_id
    ).values_list("assignment_id", "criterion_id", "value"):
        values.setdefault(assignment_id, {})[criterion_id] = value
    jurors = {
        u.pk: u for u in get_user_model().objects.filter(pk__in={row[2] for row in assignments})
    }
    inputs = [_criterion_input(c) for c in criteria]
    rows = []
    for pk, idea_id, juror_id, state, reason, submitted_at, recused_at in assignments:
        given = values.get(pk, {})
        submitted = state == Assignment.State.SUBMITTED
        rows.append(
            {
                "entry": str(entries[idea_id]),
                "idea_title": titles.get(idea_id, ""),
                "juror": str(jurors[juror_id].public_id),
                "juror_name": jurors[juror_id].public_name,
                "state": state,
                "reason": reason,
                "values": {c.name: given.get(c.pk) for c in criteria} if submitted else {},
                "score": round(aggregation.weighted_score(inputs, given), 6) if submitted else None,
                "at": (submitted_at or recused_at).isoformat(),
            }
        )
    return rows
