"""A juror's dashboard: rounds, progress, places, others' scores when allowed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from campaigns.models import Round
from juries import aggregation
from juries.models import (
    Assignment,
    JuryMember,
    RoundCriterion,
    Score,
    Shortlist,
)
from juries.selectors.access import JURY_NEVER_READS, members_of

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
        .select_related("entry", "idea")
        .defer(*(f"idea__{name}" for name in JURY_NEVER_READS))
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


def may_see_scores(user, round_: Round, *, assignments: list[Assignment] | None = None) -> bool:
    """Nobody with ideas still to score in a round sees the others' scores in it:
    jurors see each other's scores only once theirs are in. `assignments`: the
    person's assignments in the round, when the page has them already."""
    if assignments is not None:
        return not any(a.state == Assignment.State.PENDING for a in assignments)
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


def progress_by_juror(
    shortlist: Shortlist,
    *,
    seats: list[JuryMember] | None = None,
    assignment_states: list[tuple[int, str]] | None = None,
) -> list[tuple[JuryMember | None, object, Progress]]:
    """(seat, user, progress) of every juror with ideas in the round, in seat order.
    A page that has read them already passes the jury's seats (users loaded)
    and the round's (juror, state) of every assignment."""
    if assignment_states is None:
        counts = (
            Assignment.objects.filter(round_id=shortlist.round_id)
            .values_list("juror_id", "state")
            .annotate(n=Count("id"))
        )
    else:
        counts = [(juror, state, 1) for juror, state in assignment_states]
    progress = progress_rows(counts)
    seats_by_user = {m.user_id: m for m in (members_of(shortlist.jury) if seats is None else seats)}
    users = {pk: m.user for pk, m in seats_by_user.items()}
    # Someone who left the jury keeps their ideas' progress (one more query then).
    gone = set(progress) - set(users)
    if gone:
        from django.contrib.auth import get_user_model

        users.update({u.pk: u for u in get_user_model().objects.filter(pk__in=gone)})
    order = list(seats_by_user) + sorted(set(progress) - set(seats_by_user))
    return [
        (seats_by_user.get(pk), users[pk], progress.get(pk, Progress()))
        for pk in order
        if pk in users
    ]


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
