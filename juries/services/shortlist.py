"""A round's shortlist: built from the frozen ranking, wildcards added, ideas
assigned to jurors, people told."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Campaign, Criterion, Round
from campaigns.services import round_event_data
from ideas.models import Idea
from integrations.events import publish
from juries import selectors
from juries.models import (
    Assignment,
    Jury,
    JuryMember,
    RoundCriterion,
    Shortlist,
    ShortlistEntry,
)
from juries.services.common import (
    JuryError,
    _clean_reason,
    _round_move,
    _round_name,
    _tell_jurors_of_deadline,
    _users,
    jury_ensure,
)
from notifications.services import notify


def _shortlists_in_review(jury: Jury) -> list[Shortlist]:
    """The jury's shortlists under review, their rounds locked (for `_assign`)."""
    shortlists = list(
        Shortlist.objects.filter(jury=jury, round__state=Round.State.IN_REVIEW)
        .select_related("round")
        .order_by("round_id")
    )
    list(
        Round.objects.select_for_update()
        .filter(pk__in=[s.round_id for s in shortlists])
        .order_by("pk")
    )
    return shortlists


# --- The shortlist ------------------------------------------------------------------


def _frozen_ranking(round_: Round) -> list:
    """The round's frozen ranking, [(idea, rank, votes)] in ranking order;
    disqualified ideas left out."""
    from voting.selectors import ranking_for

    ranking = ranking_for(round_)
    if not ranking.frozen:
        raise JuryError(_("The round's ranking is not frozen yet."), code="ranking_not_frozen")
    return [(row.idea, row.rank, row.votes) for row in ranking.rows if not row.disqualified]


def _excluded_winners(round_: Round) -> set[int]:
    """Ideas that may not be shortlisted again: on the grand round of a challenge
    whose round winners may not win the grand prize, the round winners."""
    campaign = round_.campaign
    if round_.kind == Round.Kind.GRAND and not campaign.weekly_winners_can_win_grand:
        return selectors.decided_winner_ids(campaign)
    return set()


def shortlist_pick(ranking: list, *, size: int, excluded: set[int] = frozenset()) -> list:
    """The top `size` of a frozen ranking, ties at the cut-off all included.

    `ranking` is [(idea, rank, votes)] best first. Skipped: ideas no longer
    published (hidden, withdrawn, rejected, merged), ideas without a counted
    vote, and `excluded` ideas (by pk). The cut-off is the votes of the
    `size`-th idea kept: every further idea with as many votes is kept too."""
    kept = []
    cut_off = None
    for idea, rank, votes in ranking:
        if idea.state != Idea.State.PUBLISHED or votes <= 0 or idea.pk in excluded:
            continue
        if cut_off is not None and votes < cut_off:
            break
        kept.append((idea, rank, votes))
        if cut_off is None and len(kept) == size:
            cut_off = votes
    return kept


def _rubric_copy(shortlist: Shortlist, campaign: Campaign) -> None:
    criteria = list(Criterion.objects.filter(campaign=campaign).order_by("position", "pk"))
    if not criteria:
        # A challenge without a rubric is judged on one overall score.
        with translation.override(campaign.tenant.default_language):
            criteria = [Criterion(name=_("Overall"), weight=100, scale_min=1, scale_max=10)]
    RoundCriterion.objects.bulk_create(
        [
            RoundCriterion(
                tenant=shortlist.tenant, shortlist=shortlist, position=position, **c.rubric()
            )
            for position, c in enumerate(criteria)
        ]
    )


def _deadline(jury: Jury, round_: Round, now: dt.datetime) -> dt.datetime:
    return max(now, round_.voting_ends_at) + dt.timedelta(days=jury.review_days)


# Rounds whose shortlist may be built, once their voting window is over.
BUILDABLE_STATES = (
    Round.State.SCHEDULED,
    Round.State.OPEN,
    Round.State.VOTING_CLOSED,
    Round.State.IN_REVIEW,
)


def _check_buildable(round_: Round, now: dt.datetime) -> None:
    if (
        round_.state not in BUILDABLE_STATES
        or round_.voting_ends_at > now
        or round_.campaign.status == Campaign.Status.DRAFT
    ):
        raise JuryError(
            _("The shortlist is built once the round's voting is closed."),
            code="voting_not_closed",
        )
    campaign = round_.campaign
    if round_.kind == Round.Kind.GRAND and not campaign.weekly_winners_can_win_grand:
        undecided = (
            Round.objects.filter(campaign=campaign, kind=Round.Kind.WEEKLY)
            .exclude(state__in=[Round.State.DECIDED, Round.State.ANNOUNCED])
            .exists()
        )
        if undecided:
            # Round winners may not win the grand prize: they are known only
            # once every round is decided.
            raise JuryError(
                _("The grand round's shortlist waits for every round's decision."),
                code="rounds_undecided",
            )


def shortlist_build(*, round: Round, now: dt.datetime | None = None) -> Shortlist:
    """Once a round's voting is over: freeze its ranking (if nobody has yet),
    shortlist its top ideas, share them out to the jurors, move the round to
    `in_review` and tell the jurors (and the shortlisted ideas' authors).

    Idempotent: the round cycle may call it twice, or on two workers at once;
    the second call returns the first call's shortlist and tells nobody again.
    Raises JuryError while the round's voting is open."""
    from voting.services import ranking_freeze

    now = now or timezone.now()
    existing = Shortlist.objects.filter(round_id=round.pk).first()
    if existing is not None:
        return existing
    round_ = Round.objects.select_related("campaign", "campaign__tenant").get(pk=round.pk)
    _check_buildable(round_, now)
    # Outside our lock: the freeze waits for votes being written, which must not
    # wait for the round's row.
    ranking_freeze(round=round_, now=now)
    with transaction.atomic():
        round_ = (
            Round.objects.select_for_update(of=("self",))
            .select_related("campaign", "campaign__tenant")
            .get(pk=round_.pk)
        )
        existing = Shortlist.objects.filter(round=round_).first()
        if existing is not None:
            return existing
        _check_buildable(round_, now)
        # The ranking is frozen: the round's voting is closed (if nobody said so yet).
        _round_move(
            round_,
            to=Round.State.VOTING_CLOSED,
            from_states=(Round.State.SCHEDULED, Round.State.OPEN),
        )
        campaign = round_.campaign
        jury = jury_ensure(campaign=campaign)
        picked = shortlist_pick(
            _frozen_ranking(round_),
            size=campaign.shortlist_size,
            excluded=_excluded_winners(round_),
        )
        shortlist = Shortlist.objects.create(
            tenant=campaign.tenant,
            round=round_,
            jury=jury,
            size=campaign.shortlist_size,
            deadline=_deadline(jury, round_, now),
            jurors_per_idea=_jurors_per_idea(jury, len(picked)),
        )
        _rubric_copy(shortlist, campaign)
        ShortlistEntry.objects.bulk_create(
            [
                ShortlistEntry(
                    tenant=campaign.tenant,
                    shortlist=shortlist,
                    idea=idea,
                    source=ShortlistEntry.Source.RANKING,
                    ranking_rank=rank,
                    round_votes=votes,
                )
                for idea, rank, votes in picked
            ]
        )
        _assign(shortlist)
        _round_move(round_, to=Round.State.IN_REVIEW, from_states=(Round.State.VOTING_CLOSED,))
        publish(
            tenant=campaign.tenant,
            event="shortlist.ready",
            data=round_event_data(
                round_, idea_ids=[idea.public_id for idea, _rank, _votes in picked]
            ),
        )
        audit_record(
            actor=None,
            action="jury.shortlist_build",
            target=round_,
            data={
                "ideas": [str(idea.public_id) for idea, _rank, _votes in picked],
                "size": campaign.shortlist_size,
                "deadline": shortlist.deadline.isoformat(),
                "jurors_per_idea": shortlist.jurors_per_idea,
            },
        )
        _tell_shortlist_ready(shortlist)
        for idea, _rank, _votes in picked:
            _tell_author_shortlisted(shortlist, idea)
    return shortlist


def _jurors_per_idea(jury: Jury, idea_count: int) -> int | None:
    """K when the shortlist is large enough to share out, None (everyone) otherwise."""
    seats = JuryMember.objects.filter(jury=jury).count()
    k = jury.jurors_per_idea
    if k and idea_count > jury.everyone_up_to and k < seats:
        return k
    return None


def shortlist_add_wildcard(*, round: Round, idea: Idea, actor, reason: str) -> ShortlistEntry:
    """A moderator adds an idea the ranking left out, with a reason on record.
    The idea is shared out to the jurors like the others."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        round_ = (
            Round.objects.select_for_update(of=("self",))
            .select_related("campaign", "tenant")
            .get(pk=round.pk)
        )
        shortlist = Shortlist.objects.filter(round=round_).first()
        if shortlist is None or round_.state != Round.State.IN_REVIEW:
            raise JuryError(
                _("Wildcards are added while the round's shortlist is in review."),
                code="not_in_review",
            )
        idea = Idea.objects.filter(pk=idea.pk, campaign=round_.campaign).first()
        message = None
        if idea is None:
            message = _("This idea is not part of the challenge.")
        elif idea.state != Idea.State.PUBLISHED:
            message = _("Only a published idea can be shortlisted.")
        elif ShortlistEntry.objects.filter(shortlist=shortlist, idea=idea).exists():
            message = _("This idea is already on the shortlist.")
        elif idea.pk in _excluded_winners(round_):
            message = _("This idea already won a round: it may not win the grand prize.")
        if message:
            raise JuryError(message, code="not_eligible", fields={"idea": [message]})
        ranked = {row[0].pk: row for row in _frozen_ranking(round_)}
        _idea, rank, votes = ranked.get(idea.pk, (idea, None, 0))
        entry = ShortlistEntry.objects.create(
            tenant=round_.tenant,
            shortlist=shortlist,
            idea=idea,
            source=ShortlistEntry.Source.WILDCARD,
            reason=reason,
            ranking_rank=rank,
            round_votes=votes,
            added_by=actor,
        )
        _assign(shortlist)
        audit_record(
            actor=actor,
            action="jury.wildcard_add",
            target=round_,
            reason=reason,
            data={"idea": str(idea.public_id)},
        )
        _tell_author_shortlisted(shortlist, idea)
    return entry


def shortlist_set_deadline(*, round: Round, deadline: dt.datetime, actor) -> Shortlist:
    """Move the jury's deadline (later or earlier, never into the past)."""
    if not isinstance(deadline, dt.datetime) or timezone.is_naive(deadline):
        raise JuryError(
            _("Enter a date and time."), fields={"deadline": [_("Enter a date and time.")]}
        )
    if deadline <= timezone.now():
        message = _("The deadline cannot be in the past.")
        raise JuryError(message, fields={"deadline": [message]})
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round.pk)
        shortlist = Shortlist.objects.filter(round=round_).first()
        if shortlist is None or round_.state != Round.State.IN_REVIEW:
            raise JuryError(_("This round is not in review."), code="not_in_review")
        if shortlist.deadline == deadline:
            return shortlist
        previous = shortlist.deadline
        shortlist.deadline = deadline
        shortlist.save(update_fields=["deadline"])
        audit_record(
            actor=actor,
            action="jury.deadline",
            target=round_,
            data={"from": previous.isoformat(), "to": deadline.isoformat()},
        )
    return shortlist


# --- Assignments --------------------------------------------------------------------


def _assign(shortlist: Shortlist) -> int:
    """Give every shortlisted idea its jurors, deterministically; returns how many
    assignments were created. Call while holding the round's row lock.

    Every juror scores every idea, unless the shortlist shares its ideas out
    (`jurors_per_idea` = K): then each idea gets K jurors who have not recused
    from it, taken among those with the fewest ideas of the round so far (ties:
    the earlier seat on the jury first). The same jury and shortlist always give
    the same assignments, and the jurors' loads differ by one at most."""
    members = list(
        JuryMember.objects.filter(jury=shortlist.jury)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )
    entries = list(
        ShortlistEntry.objects.filter(shortlist=shortlist)
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    if not members or not entries:
        return 0
    existing = list(
        Assignment.objects.filter(round_id=shortlist.round_id).values_list(
            "idea_id", "juror_id", "state"
        )
    )
    assigned: dict[int, set[int]] = {}
    active: dict[int, int] = {}
    load = dict.fromkeys(members, 0)
    for idea_id, juror_id, state in existing:
        assigned.setdefault(idea_id, set()).add(juror_id)
        if state != Assignment.State.RECUSED:
            active[idea_id] = active.get(idea_id, 0) + 1
            if juror_id in load:
                load[juror_id] += 1
    seat = {juror_id: position for position, juror_id in enumerate(members)}
    new = []
    for entry in entries:
        taken = assigned.setdefault(entry.idea_id, set())
        candidates = [j for j in members if j not in taken]
        if shortlist.jurors_per_idea:
            wanted = shortlist.jurors_per_idea - active.get(entry.idea_id, 0)
            candidates.sort(key=lambda j: (load[j], seat[j]))
            candidates = candidates[: max(wanted, 0)]
        for juror_id in candidates:
            new.append((entry, juror_id))
            taken.add(juror_id)
            load[juror_id] += 1
            active[entry.idea_id] = active.get(entry.idea_id, 0) + 1
    positions: dict[int, int] = {}
    for _idea, juror_id, _state in existing:
        positions[juror_id] = positions.get(juror_id, 0) + 1
    rows = []
    for entry, juror_id in new:
        positions[juror_id] = positions.get(juror_id, 0) + 1
        rows.append(
            Assignment(
                tenant_id=shortlist.tenant_id,
                round_id=shortlist.round_id,
                entry=entry,
                idea_id=entry.idea_id,
                juror_id=juror_id,
                position=positions[juror_id],
            )
        )
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _tell_shortlist_ready(shortlist: Shortlist) -> None:
    round_ = shortlist.round
    jurors = _users(
        Assignment.objects.filter(round=round_).values_list("juror_id", flat=True).distinct()
    )
    _tell_jurors_of_deadline(
        shortlist,
        jurors,
        event="jury.shortlist_ready",
        dedupe_key=f"jury.shortlist_ready:{round_.public_id}",
    )


def _tell_author_shortlisted(shortlist: Shortlist, idea: Idea) -> None:
    if idea.author_id is None:
        return
    author = idea.author
    round_ = shortlist.round
    notify(
        recipient=author,
        event="idea.shortlisted",
        tenant=round_.tenant,
        context={
            "idea_title": idea.title,
            "round_name": _round_name(round_, author),
            "url": idea.get_absolute_url(),
        },
        dedupe_key=f"idea.shortlisted:{round_.public_id}:{idea.public_id}",
    )
