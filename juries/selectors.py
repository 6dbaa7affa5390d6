"""Reads of the juries: who may see which round, a juror's assignments and
progress, the aggregate of a round, the scores as rows, a round's decision.

Access helpers return the object or raise Http404 — the same 404 for missing,
another tenant's, another challenge's jury, and "not yours" — so a juror of one
challenge learns nothing about another's.

Blind review: nothing here hands an author's identity to the jury pages. Ideas
are loaded without their author, and in the jury's pages and API an idea is
known by its shortlist entry's id, never by the idea's own public id (which
leads to its public page, where the author's name is).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from campaigns.models import Campaign, Prize, Round
from core.permissions import role_of
from ideas.models import Idea
from juries import aggregation
from juries.models import (
    Assignment,
    Decision,
    DecisionWinner,
    Jury,
    JuryMember,
    RoundCriterion,
    Score,
    Shortlist,
    ShortlistEntry,
)


def _ideas_for_jury() -> QuerySet[Idea]:
    """Ideas as the jury reads them: never their author (nor what only
    moderators and search need)."""
    return Idea.objects.defer("author", "moderation_reason", "search_vector")


# --- Who sits where --------------------------------------------------------------


def jury_of(campaign: Campaign) -> Jury | None:
    return Jury.objects.filter(campaign=campaign).first()


def members_of(jury: Jury | None) -> list[JuryMember]:
    if jury is None:
        return []
    return list(
        JuryMember.objects.filter(jury=jury).select_related("user").order_by("created_at", "pk")
    )


def on_the_team(request) -> bool:
    """Jurors and the console's roles may use the jury area (if they sit on a jury)."""
    return role_of(request.user, request.tenant) is not None


def seats_of(user, tenant) -> list[JuryMember]:
    return list(
        JuryMember.objects.filter(tenant=tenant, user=user)
        .select_related("jury", "jury__campaign")
        .order_by("jury__campaign__starts_at", "pk")
    )


def _member(user, jury_id) -> JuryMember | None:
    return JuryMember.objects.filter(jury_id=jury_id, user=user).first()


def round_for_member(request, public_id) -> tuple[Shortlist, JuryMember]:
    """A round under review (or decided) whose jury the person sits on, or 404."""
    if not on_the_team(request):
        raise Http404
    shortlist = (
        Shortlist.objects.filter(tenant=request.tenant, round__public_id=public_id)
        .select_related("round", "round__campaign", "round__tenant", "jury")
        .first()
    )
    if shortlist is None:
        raise Http404
    member = _member(request.user, shortlist.jury_id)
    if member is None:
        raise Http404
    return shortlist, member


def assignment_for_juror(request, public_id, *, lock: bool = False) -> Assignment:
    """The person's own assignment, while they sit on its jury, or 404."""
    if not on_the_team(request):
        raise Http404
    assignment = (
        Assignment.objects.filter(tenant=request.tenant, public_id=public_id, juror=request.user)
        .select_related("round", "round__campaign", "entry", "entry__shortlist")
        .prefetch_related(Prefetch("idea", queryset=_ideas_for_jury().select_related("media")))
        .first()
    )
    if assignment is None or _member(request.user, assignment.entry.shortlist.jury_id) is None:
        raise Http404
    return assignment


def entries_for_decision(shortlist: Shortlist, public_ids) -> list[ShortlistEntry | None]:
    """Shortlist entries by public id, in the order given; None for an id that is
    not on the shortlist (the service refuses such a list with a clear message)."""
    rows = {
        str(e.public_id): e
        for e in ShortlistEntry.objects.filter(
            shortlist=shortlist, public_id__in=[p for p in public_ids if is_uuid(p)]
        )
    }
    return [rows.get(str(p)) for p in public_ids]


def is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- A juror's work ----------------------------------------------------------------------


@dataclass
class Progress:
    total: int = 0
    submitted: int = 0
    recused: int = 0

    @property
    def done(self) -> int:
        return self.submitted + self.recused

    @property
    def pending(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def progress_rows(rows) -> dict:
    """{key: Progress} from (key, state, count) rows."""
    progress: dict = {}
    for key, state, n in rows:
        p = progress.setdefault(key, Progress())
        p.total += n
        if state == Assignment.State.SUBMITTED:
            p.submitted += n
        elif state == Assignment.State.RECUSED:
            p.recused += n
    return progress


@dataclass
class DashboardRound:
    shortlist: Shortlist
    member: JuryMember
    progress: Progress
    next_assignment: Assignment | None = None

    @property
    def round(self) -> Round:
        return self.shortlist.round

    @property
    def overdue(self) -> bool:
        return timezone.now() >= self.shortlist.deadline


def dashboard(user, tenant) -> list[DashboardRound]:
    """The rounds of every jury the person sits on, newest first, with their own
    progress: three queries whatever the number of rounds or ideas."""
    seats = {m.jury_id: m for m in JuryMember.objects.filter(tenant=tenant, user=user)}
    if not seats:
        return []
    shortlists = list(
        Shortlist.objects.filter(jury_id__in=list(seats))
        .select_related("round", "round__campaign", "jury")
        .order_by("-round__voting_ends_at", "-pk")
    )
    counts = (
        Assignment.objects.filter(juror=user, round_id__in=[s.round_id for s in shortlists])
        .values_list("round_id", "state")
        .annotate(n=Count("id"))
    )
    progress = progress_rows(counts)
    return [
        DashboardRound(
            shortlist=s, member=seats[s.jury_id], progress=progress.get(s.round_id, Progress())
        )
        for s in shortlists
    ]


def assignments_of(shortlist: Shortlist, user) -> list[Assignment]:
    """The person's assignments in a round, in their order, with the idea's title
    and kind only (one query)."""
    return list(
        Assignment.objects.filter(round_id=shortlist.round_id, juror=user)
        .select_related("entry")
        .prefetch_related(Prefetch("idea", queryset=_ideas_for_jury()))
        .annotate(scored=Count("scores"))
        .order_by("position", "pk")
    )


def criteria_of(shortlist: Shortlist) -> list[RoundCriterion]:
    return list(RoundCriterion.objects.filter(shortlist=shortlist).order_by("position", "pk"))


def scores_of(assignment: Assignment) -> dict:
    """{criterion pk: value} of an assignment."""
    return dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))


@dataclass
class Place:
    """Where an assignment sits in its juror's list of the round."""

    index: int  # 1-based
    count: int
    previous: Assignment | None
    following: Assignment | None


def place_of(assignment: Assignment) -> Place:
    """The juror's previous and next assignment in the round (for the n / p keys)."""
    rows = list(
        Assignment.objects.filter(round_id=assignment.round_id, juror_id=assignment.juror_id)
        .order_by("position", "pk")
        .only("pk", "public_id", "position", "state")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == assignment.pk)
    return Place(
        index=index + 1,
        count=len(rows),
        previous=rows[index - 1] if index > 0 else None,
        following=rows[index + 1] if index + 1 < len(rows) else None,
    )


def next_pending(assignment: Assignment) -> Assignment | None:
    """The juror's next idea still to score after this one (wrapping around)."""
    rows = list(
        Assignment.objects.filter(
            round_id=assignment.round_id,
            juror_id=assignment.juror_id,
            state=Assignment.State.PENDING,
        )
        .exclude(pk=assignment.pk)
        .order_by("position", "pk")
        .only("pk", "public_id", "position")
    )
    after = [row for row in rows if (row.position, row.pk) > (assignment.position, assignment.pk)]
    return (after or rows or [None])[0]


def has_pending(user, round_: Round) -> bool:
    return Assignment.objects.filter(
        round=round_, juror=user, state=Assignment.State.PENDING
    ).exists()


def may_see_scores(user, round_: Round) -> bool:
    """Nobody with ideas still to score in a round sees the others' scores in it:
    jurors see each other's scores only once theirs are in."""
    return not has_pending(user, round_)


def others_scores(assignment: Assignment) -> list[dict]:
    """Once a juror has submitted their scores for an idea: the other jurors'
    submitted scores for it (weighted score and per criterion)."""
    if assignment.state != Assignment.State.SUBMITTED:
        return []
    criteria = criteria_of(assignment.entry.shortlist)
    others = (
        Assignment.objects.filter(
            round_id=assignment.round_id,
            idea_id=assignment.idea_id,
            state=Assignment.State.SUBMITTED,
        )
        .exclude(pk=assignment.pk)
        .select_related("juror")
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    inputs = [_criterion_input(c) for c in criteria]
    rows = []
    for other in others:
        values = {s.criterion_id: s.value for s in other.scores.all()}
        rows.append(
            {
                "juror": other.juror.public_name,
                "values": [values.get(c.pk) for c in criteria],
                "score": aggregation.weighted_score(inputs, values),
            }
        )
    return rows


# --- The chair's and the console's view ----------------------------------------------


def progress_by_juror(shortlist: Shortlist) -> list[tuple[JuryMember | None, object, Progress]]:
    """(seat, user, progress) of every juror with ideas in the round, in seat order."""
    counts = (
        Assignment.objects.filter(round_id=shortlist.round_id)
        .values_list("juror_id", "state")
        .annotate(n=Count("id"))
    )
    progress = progress_rows(counts)
    seats = {m.user_id: m for m in members_of(shortlist.jury)}
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=list(progress) + list(seats))}
    order = list(seats) + sorted(set(progress) - set(seats))
    return [(seats.get(pk), users[pk], progress.get(pk, Progress())) for pk in order if pk in users]


def progress_of_round(shortlist: Shortlist) -> Progress:
    total = Progress()
    for _seat, _user, p in progress_by_juror(shortlist):
        total.total += p.total
        total.submitted += p.submitted
        total.recused += p.recused
    return total


def _criterion_input(c: RoundCriterion) -> aggregation.CriterionInput:
    return aggregation.CriterionInput(
        key=c.pk, weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max
    )


@dataclass
class RoundAggregate:
    """A round's aggregate with the rows it was computed from, for pages,
    exports and the frozen decision."""

    shortlist: Shortlist
    aggregate: aggregation.Aggregate
    criteria: list[RoundCriterion]
    entries: dict = field(default_factory=dict)  # idea pk → ShortlistEntry (idea loaded)
    jurors: dict = field(default_factory=dict)  # user pk → User

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
    """How many winners the round has: one per prize of its kind, one at least."""
    return max(
        1, Prize.objects.filter(campaign_id=round_.campaign_id, round_kind=round_.kind).count()
    )


def round_aggregate(shortlist: Shortlist, *, normalise: bool | None = None) -> RoundAggregate:
    """The live aggregate of a round (four queries, whatever its size)."""
    from django.contrib.auth import get_user_model

    if normalise is None:
        normalise = shortlist.jury.normalise
    criteria = criteria_of(shortlist)
    entries = {
        e.idea_id: e
        for e in ShortlistEntry.objects.filter(shortlist=shortlist)
        .prefetch_related(Prefetch("idea", queryset=_ideas_for_jury()))
        .order_by("created_at", "pk")
    }
    # Plain values, not model instances: a round of 100 ideas and 50 jurors is
    # 5,000 score sheets and 15,000 scores, read in two queries.
    assignments = list(
        Assignment.objects.filter(round_id=shortlist.round_id).values_list(
            "pk", "juror_id", "idea_id", "state"
        )
    )
    values: dict[int, dict] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment__round_id=shortlist.round_id
    ).values_list("assignment_id", "criterion_id", "value"):
        values.setdefault(assignment_id, {})[criterion_id] = value
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
        for pk, juror_id, idea_id, state in assignments
    ]
    result = aggregation.compute(
        criteria=[_criterion_input(c) for c in criteria],
        ideas=ideas,
        assignments=inputs,
        normalise=normalise,
        winners=prize_places(shortlist.round),
    )
    users = {
        u.pk: u for u in get_user_model().objects.filter(pk__in={row[1] for row in assignments})
    }
    return RoundAggregate(
        shortlist=shortlist, aggregate=result, criteria=criteria, entries=entries, jurors=users
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


# --- Decisions -----------------------------------------------------------------------


def decision_of(round_: Round) -> Decision | None:
    """The jury's decision on a round, with its winners (ideas, in prize order)
    loaded: what the rewards turn into awards. None before the chair decides."""
    return (
        Decision.objects.filter(round=round_)
        .select_related("decided_by")
        .prefetch_related(
            Prefetch(
                "winners",
                queryset=DecisionWinner.objects.select_related("idea").order_by("rank"),
            )
        )
        .first()
    )


def decided_winner_ids(campaign: Campaign) -> set[int]:
    """Every idea the jury chose as a winner of one of the challenge's rounds (one query)."""
    return set(
        DecisionWinner.objects.filter(decision__round__campaign=campaign).values_list(
            "idea_id", flat=True
        )
    )


def decisions_of(campaign: Campaign) -> list[Decision]:
    return list(
        Decision.objects.filter(round__campaign=campaign)
        .select_related("round", "decided_by")
        .prefetch_related(
            Prefetch(
                "winners",
                queryset=DecisionWinner.objects.select_related("idea").order_by("rank"),
            )
        )
        .order_by("round__index")
    )


def shortlists_of(campaign: Campaign) -> dict[int, Shortlist]:
    """{round pk: shortlist} of a challenge, with their entry counts (one query)."""
    return {
        s.round_id: s
        for s in Shortlist.objects.filter(round__campaign=campaign).annotate(
            entry_count=Count("entries", distinct=True)
        )
    }


def wildcard_candidates(shortlist: Shortlist, limit: int = 100) -> list[Idea]:
    """Published ideas of the challenge not on the shortlist, most voted first."""
    on_list = ShortlistEntry.objects.filter(shortlist=shortlist).values("idea_id")
    return list(
        Idea.objects.filter(campaign_id=shortlist.round.campaign_id, state=Idea.State.PUBLISHED)
        .exclude(pk__in=on_list)
        .only("id", "public_id", "title", "vote_count")
        .order_by("-vote_count", "-id")[:limit]
    )


def entries_of(shortlist: Shortlist) -> list[ShortlistEntry]:
    return list(
        ShortlistEntry.objects.filter(shortlist=shortlist)
        .select_related("added_by")
        .prefetch_related(Prefetch("idea", queryset=_ideas_for_jury()))
        .order_by("created_at", "pk")
    )


def deadline_passed(shortlist: Shortlist, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= shortlist.deadline


def decidable(shortlist: Shortlist, user, now: dt.datetime | None = None) -> bool:
    """The chair may decide now: their own ideas done, and every juror done or
    the deadline passed (the service checks the same)."""
    pending = Assignment.objects.filter(round_id=shortlist.round_id, state=Assignment.State.PENDING)
    if pending.filter(juror=user).exists():
        return False
    return not pending.exists() or deadline_passed(shortlist, now)
