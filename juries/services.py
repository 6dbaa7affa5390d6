"""Every write of the juries: members and settings, the shortlist, assignments,
scores, conflicts of interest, decisions and reminders.

Services validate first and write afterwards, inside one transaction; bad
input raises `JuryError` (a DomainError, so the views and the API answer a
clean 4xx) and nothing is half-written. Who may call what is the views' and
the API's question (accounts.permissions, juries.selectors), except what is a
rule of the jury itself: only the juror of an assignment scores it, only the
chair decides.

Lock order, when several rows are locked: the round, then the shortlist's
rows (assignments). Every state change is idempotent: calling a service a
second time with the same arguments changes nothing and returns what the first
call did.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.permissions import role_of
from accounts.services import audit_record
from campaigns.models import Campaign, Criterion, Round
from campaigns.pages import round_label
from config.api import DomainError
from ideas.models import Idea
from juries import selectors
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
from notifications.services import notify

logger = logging.getLogger(__name__)

REASON_MAX = 2000
NOTE_MAX = 5000
REMINDER_BEFORE = dt.timedelta(hours=24)
LIMITS = {
    "review_days": (1, 60),
    "jurors_per_idea": (1, 50),
    "everyone_up_to": (1, 500),
}


class JuryError(DomainError):
    code = "jury_invalid"


class NotChair(DomainError):
    code = "not_chair"
    status = 403


def _errors_raise(fields: dict[str, list[str]]) -> None:
    if fields:
        first = next(iter(fields.values()))[0]
        raise JuryError(first, fields=fields)


def _clean_reason(reason, field: str = "reason") -> str:
    text = str(reason or "").strip()
    if not text:
        raise JuryError(
            _("Write the reason."), code="reason_required", fields={field: [_("Write the reason.")]}
        )
    if len(text) > REASON_MAX:
        message = _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX}
        raise JuryError(message, fields={field: [message]})
    return text


# --- The jury and its members ---------------------------------------------------


def jury_ensure(*, campaign: Campaign) -> Jury:
    """The challenge's jury, created with its defaults the first time."""
    jury = Jury.objects.filter(campaign=campaign).first()
    if jury is not None:
        return jury
    # Two first calls at once: the unique constraint lets one create it, and
    # get_or_create reads the other's.
    jury, _created = Jury.objects.get_or_create(
        campaign=campaign, defaults={"tenant_id": campaign.tenant_id}
    )
    return jury


def jury_settings_update(*, campaign: Campaign, actor, **changes) -> Jury:
    """Change how the jury reviews: `review_days`, `jurors_per_idea` (None: every
    juror scores every idea), `everyone_up_to` and `normalise`. Rounds already
    in review keep how their ideas were shared out; normalisation applies to
    every round not decided yet."""
    allowed = {"review_days", "jurors_per_idea", "everyone_up_to", "normalise"}
    unknown = set(changes) - allowed
    if unknown:
        raise JuryError(
            _("Unknown setting."), fields={name: [_("Unknown setting.")] for name in unknown}
        )
    errors: dict[str, list[str]] = {}
    for name, (low, high) in LIMITS.items():
        if name not in changes:
            continue
        value = changes[name]
        if value is None and name == "jurors_per_idea":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [
                _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            ]
    if "normalise" in changes and not isinstance(changes["normalise"], bool):
        errors["normalise"] = [_("Choose yes or no.")]
    _errors_raise(errors)
    jury = jury_ensure(campaign=campaign)
    with transaction.atomic():
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        changed = {k: v for k, v in changes.items() if getattr(jury, k) != v}
        if not changed:
            return jury
        for name, value in changed.items():
            setattr(jury, name, value)
        jury.save(update_fields=[*changed, "updated_at"])
        audit_record(
            tenant=campaign.tenant,
            actor=actor,
            action="jury.settings",
            target=jury,
            data=dict(changed),
        )
    return jury


def may_sit_on_jury(user, tenant) -> bool:
    """Jurors and the console's roles (owner, admin, moderator) may sit on a jury:
    everyone on the brand's team, invited through the team feature."""
    return role_of(user, tenant) is not None


def jury_member_add(
    *, campaign: Campaign, user, actor, role: str = JuryMember.Role.MEMBER
) -> JuryMember:
    """Seat a person of the brand's team on the challenge's jury. A new chair
    replaces the previous one (who stays a member). A member added while a round
    is in review gets that round's ideas to score too."""
    if role not in JuryMember.Role.values:
        raise JuryError(
            _("Choose chair or member."), fields={"role": [_("Choose chair or member.")]}
        )
    if user is None or not may_sit_on_jury(user, campaign.tenant):
        message = _("Only people on the brand's team can sit on the jury: invite them first.")
        raise JuryError(message, code="not_on_team", fields={"user": [message]})
    jury = jury_ensure(campaign=campaign)
    with transaction.atomic():
        jury = (
            Jury.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=jury.pk)
        )
        if JuryMember.objects.filter(jury=jury, user=user).exists():
            message = _("This person already sits on the jury.")
            raise JuryError(message, code="already_member", fields={"user": [message]})
        seats = jury.campaign.jury_size
        if JuryMember.objects.filter(jury=jury).count() >= seats:
            message = _(
                "The jury has its %(n)s seats taken. Remove a member first, or change the "
                "jury's size in the challenge's settings."
            ) % {"n": seats}
            raise JuryError(message, code="jury_full", fields={"user": [message]})
        if role == JuryMember.Role.CHAIR:
            JuryMember.objects.filter(jury=jury, role=JuryMember.Role.CHAIR).update(
                role=JuryMember.Role.MEMBER
            )
        member = JuryMember.objects.create(tenant=jury.tenant, jury=jury, user=user, role=role)
        audit_record(
            tenant=jury.tenant,
            actor=actor,
            action="jury.member_add",
            target=jury,
            data={"user": str(user.public_id), "role": role},
        )
        for shortlist in _shortlists_in_review(jury):
            _assign(shortlist)
    return member


def jury_member_set_role(*, member: JuryMember, role: str, actor) -> JuryMember:
    if role not in JuryMember.Role.values:
        raise JuryError(
            _("Choose chair or member."), fields={"role": [_("Choose chair or member.")]}
        )
    with transaction.atomic():
        member = (
            JuryMember.objects.select_for_update(of=("self",))
            .select_related("jury", "user")
            .get(pk=member.pk)
        )
        if member.role == role:
            return member
        if role == JuryMember.Role.CHAIR:
            JuryMember.objects.filter(jury=member.jury, role=JuryMember.Role.CHAIR).update(
                role=JuryMember.Role.MEMBER
            )
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            tenant=member.tenant,
            actor=actor,
            action="jury.member_role",
            target=member.jury,
            data={"user": str(member.user.public_id), "role": role},
        )
    return member


def jury_member_remove(*, member: JuryMember, actor) -> None:
    """Take a member off the jury. Their ideas not scored yet in rounds under
    review go to the other jurors (when the round shares its ideas out); what
    they submitted stays in those rounds' aggregates."""
    with transaction.atomic():
        member = (
            JuryMember.objects.select_for_update(of=("self",))
            .select_related("jury", "user")
            .get(pk=member.pk)
        )
        jury = member.jury
        shortlists = _shortlists_in_review(jury)
        Assignment.objects.filter(
            round__in=[s.round_id for s in shortlists],
            juror=member.user,
            state=Assignment.State.PENDING,
        ).delete()
        audit_record(
            tenant=jury.tenant,
            actor=actor,
            action="jury.member_remove",
            target=jury,
            data={"user": str(member.user.public_id), "role": member.role},
        )
        member.delete()
        for shortlist in shortlists:
            _assign(shortlist)


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


# --- Round states (the round cycle's part the jury moves) ------------------------


def _round_move(round_: Round, *, to: str, from_states: tuple[str, ...]) -> bool:
    """Move the round to `to` if it is in one of `from_states`; True if it moved."""
    from campaigns.services import round_transition

    return round_transition(round=round_, to=to, from_states=from_states)


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
                tenant=shortlist.tenant,
                shortlist=shortlist,
                position=position,
                name=c.name,
                description=c.description,
                weight=c.weight,
                scale_min=c.scale_min,
                scale_max=c.scale_max,
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
        audit_record(
            tenant=campaign.tenant,
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
            tenant=round_.tenant,
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
            tenant=round_.tenant,
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


def _assignment_for_update(assignment: Assignment, juror) -> Assignment:
    """The assignment locked, or JuryError: not this juror's, or the round is over."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round", "round__tenant")
        .filter(pk=assignment.pk, juror=juror)
        .first()
    )
    if locked is None:
        raise JuryError(_("This idea is not assigned to you."), code="not_assigned", fields={})
    if locked.round.state != Round.State.IN_REVIEW:
        raise JuryError(_("The jury of this round has decided."), code="decided")
    return locked


def _criteria_of(assignment: Assignment) -> list[RoundCriterion]:
    return list(
        RoundCriterion.objects.filter(shortlist__round_id=assignment.round_id).order_by(
            "position", "pk"
        )
    )


def _to_int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError


def score_save(
    *, assignment: Assignment, juror, values: dict | None = None, note=None
) -> Assignment:
    """Autosave: some of the juror's scores (criterion public id → a whole
    number within the criterion's scale, or None to clear it) and/or the private
    note. Only while the assignment waits for its scores."""
    values = values or {}
    with transaction.atomic():
        assignment = _assignment_for_update(assignment, juror)
        if assignment.state != Assignment.State.PENDING:
            message = (
                _("You declared a conflict of interest on this idea.")
                if assignment.state == Assignment.State.RECUSED
                else _("Your scores for this idea are submitted: they can no longer change.")
            )
            raise JuryError(message, code=f"assignment_{assignment.state}")
        criteria = {str(c.public_id): c for c in _criteria_of(assignment)}
        errors: dict[str, list[str]] = {}
        clean: dict[RoundCriterion, int | None] = {}
        for key, raw in values.items():
            criterion = criteria.get(str(key))
            if criterion is None:
                errors[str(key)] = [_("Unknown criterion.")]
                continue
            if raw is None or raw == "":
                clean[criterion] = None
                continue
            try:
                value = _to_int(raw)
            except ValueError:
                value = None
            if value is None or not criterion.scale_min <= value <= criterion.scale_max:
                errors[str(key)] = [
                    _("%(name)s: choose a score from %(low)s to %(high)s.")
                    % {
                        "name": criterion.name,
                        "low": criterion.scale_min,
                        "high": criterion.scale_max,
                    }
                ]
                continue
            clean[criterion] = value
        if note is not None:
            note = str(note)
            if len(note) > NOTE_MAX:
                errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}]
        _errors_raise(errors)
        for criterion, value in clean.items():
            if value is None:
                Score.objects.filter(assignment=assignment, criterion=criterion).delete()
            else:
                Score.objects.update_or_create(
                    assignment=assignment,
                    criterion=criterion,
                    defaults={"value": value, "tenant_id": assignment.tenant_id},
                )
        fields = ["updated_at"]
        if note is not None and note != assignment.note:
            assignment.note = note
            fields.append("note")
        assignment.save(update_fields=fields)
    return assignment


def assignment_submit(
    *, assignment: Assignment, juror, values: dict | None = None, note=None
) -> Assignment:
    """Submit the juror's scores for one idea, once every criterion has one.
    `values` and `note`, when given, are saved first, as the autosave would:
    they stay saved even when the submission is refused for a missing score.
    Submitting twice changes nothing."""
    if values or note is not None:
        current = Assignment.objects.filter(pk=assignment.pk).values_list("state", flat=True)
        if current and current[0] == Assignment.State.PENDING:
            score_save(assignment=assignment, juror=juror, values=values, note=note)
    with transaction.atomic():
        locked = _assignment_for_update(assignment, juror)
        if locked.state == Assignment.State.SUBMITTED:
            return locked
        if locked.state == Assignment.State.RECUSED:
            raise JuryError(
                _("You declared a conflict of interest on this idea."), code="assignment_recused"
            )
        criteria = _criteria_of(locked)
        scores = dict(Score.objects.filter(assignment=locked).values_list("criterion_id", "value"))
        missing = [c for c in criteria if c.pk not in scores]
        if missing:
            names = ", ".join(c.name for c in missing)
            message = _("Score every criterion before submitting (missing: %(names)s).") % {
                "names": names
            }
            raise JuryError(
                message,
                code="scores_missing",
                fields={str(c.public_id): [_("Choose a score.")] for c in missing},
            )
        locked.state = Assignment.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        audit_record(
            tenant=locked.round.tenant,
            actor=juror,
            action="jury.assignment_submit",
            target=locked,
            data={"scores": {c.name: scores[c.pk] for c in criteria}},
        )
    return locked


def assignment_recuse(*, assignment: Assignment, juror, reason: str) -> Assignment:
    """Declare a conflict of interest on an idea (before or after scoring it):
    the juror's scores on it are left out of its aggregate. When the round
    shares its ideas out, another juror takes the idea over."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=assignment.round_id)
        locked = _assignment_for_update(assignment, juror)
        if locked.state == Assignment.State.RECUSED:
            return locked
        locked.state = Assignment.State.RECUSED
        locked.recusal_reason = reason
        locked.recused_at = timezone.now()
        locked.save(update_fields=["state", "recusal_reason", "recused_at", "updated_at"])
        audit_record(
            tenant=round_.tenant,
            actor=juror,
            action="jury.recuse",
            target=locked,
            reason=reason,
            data={"round": str(round_.public_id)},
        )
        shortlist = Shortlist.objects.select_related("jury").get(round=round_)
        if shortlist.jurors_per_idea:
            _assign(shortlist)
    return locked


# --- The decision -----------------------------------------------------------------


def _check_is_chair(shortlist: Shortlist, actor) -> None:
    """Who may decide, asked before anything else: even "already decided, here
    is the decision" is an answer only the chair gets."""
    chair = JuryMember.objects.filter(
        jury=shortlist.jury, role=JuryMember.Role.CHAIR, user=actor
    ).exists()
    if not chair:
        raise NotChair(_("Only the jury's chair decides."))


def _check_may_decide(round_: Round, shortlist: Shortlist, actor, now: dt.datetime) -> None:
    _check_is_chair(shortlist, actor)
    if round_.state != Round.State.IN_REVIEW:
        raise JuryError(_("This round is not in review."), code="not_in_review")
    pending = Assignment.objects.filter(round=round_, state=Assignment.State.PENDING)
    if pending.filter(juror=actor).exists():
        raise JuryError(
            _("Score (or recuse from) your own ideas before deciding."), code="chair_not_done"
        )
    if pending.exists() and now < shortlist.deadline:
        raise JuryError(
            _(
                "Jurors are still scoring. You can decide once they have all submitted, or "
                "with the scores there are once the deadline has passed."
            ),
            code="jurors_still_scoring",
        )


def _decide(
    *, round_: Round, actor, winners: list[Idea], kind: str, reason: str, now: dt.datetime
) -> Decision:
    """Write the decision with its frozen aggregate and scores; call while holding
    the round's lock, after `_check_may_decide`."""
    shortlist = Shortlist.objects.select_related("jury", "jury__campaign").get(round=round_)
    result = selectors.round_aggregate(shortlist)
    pending = Assignment.objects.filter(round=round_, state=Assignment.State.PENDING).count()
    decision = Decision.objects.create(
        tenant=round_.tenant,
        round=round_,
        kind=kind,
        reason=reason,
        proposed=[str(result.entry_of(key).public_id) for key in result.aggregate.proposed],
        aggregate=result.as_json(),
        scores=selectors.round_scores_rows(shortlist),
        missing_assignments=pending,
        decided_by=actor,
        decided_at=now,
    )
    DecisionWinner.objects.bulk_create(
        [
            DecisionWinner(tenant=round_.tenant, decision=decision, idea=idea, rank=rank)
            for rank, idea in enumerate(winners, start=1)
        ]
    )
    _round_move(round_, to=Round.State.DECIDED, from_states=(Round.State.IN_REVIEW,))
    audit_record(
        tenant=round_.tenant,
        actor=actor,
        action=f"jury.decision_{kind}",
        target=round_,
        reason=reason,
        data={
            "winners": [str(idea.public_id) for idea in winners],
            "proposed": decision.proposed,
            "method": result.aggregate.method,
            "missing_assignments": pending,
        },
    )
    return decision


def _lock_round(round_: Round) -> Round:
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("campaign", "tenant")
        .get(pk=round_.pk)
    )


def decision_confirm(*, round: Round, actor, now: dt.datetime | None = None) -> Decision:
    """The chair confirms the winners the aggregate proposes. Freezes the
    decision, the scores and the aggregate; the round becomes `decided`.
    Confirming twice returns the first decision."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        shortlist = (
            Shortlist.objects.select_related("jury", "jury__campaign").filter(round=round_).first()
        )
        if shortlist is None:
            raise JuryError(_("This round is not in review."), code="not_in_review")
        _check_is_chair(shortlist, actor)
        existing = Decision.objects.filter(round=round_).first()
        if existing is not None:
            if existing.kind == Decision.Kind.CONFIRMED:
                return existing
            raise JuryError(_("This round is already decided."), code="already_decided")
        _check_may_decide(round_, shortlist, actor, now)
        result = selectors.round_aggregate(shortlist)
        winners = [result.idea_of(key) for key in result.aggregate.proposed]
        if not winners:
            raise JuryError(
                _("No idea has been scored: choose the winners yourself and write why."),
                code="nothing_to_confirm",
            )
        return _decide(
            round_=round_,
            actor=actor,
            winners=winners,
            kind=Decision.Kind.CONFIRMED,
            reason="",
            now=now,
        )


def decision_override(
    *,
    round: Round,
    actor,
    winners: list[ShortlistEntry | None],
    reason: str,
    now: dt.datetime | None = None,
) -> Decision:
    """The chair chooses other winners than the aggregate's (in prize order),
    with a written reason. `winners` are the round's shortlist entries (None
    stands for an idea that is not on it, and is refused). Overriding twice with
    the same winners returns the first decision."""
    reason = _clean_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        shortlist = Shortlist.objects.select_related("jury").filter(round=round_).first()
        if shortlist is None:
            raise JuryError(_("This round is not in review."), code="not_in_review")
        _check_is_chair(shortlist, actor)
        existing = Decision.objects.filter(round=round_).first()
        if existing is not None:
            same = list(existing.winners.order_by("rank").values_list("idea_id", flat=True)) == [
                e.idea_id if e else None for e in winners
            ]
            if existing.kind == Decision.Kind.OVERRIDDEN and same:
                return existing
            raise JuryError(_("This round is already decided."), code="already_decided")
        _check_may_decide(round_, shortlist, actor, now)
        places = selectors.prize_places(round_)
        ids = [e.pk if e is not None else None for e in winners]
        entries = {
            e.pk: e
            for e in ShortlistEntry.objects.filter(shortlist=shortlist, pk__in=ids).select_related(
                "idea"
            )
        }
        message = None
        if not winners:
            message = _("Choose at least one winner.")
        elif len(winners) > places:
            message = _("Choose at most %(n)s winners.") % {"n": places}
        elif len(set(ids)) != len(ids):
            message = _("Choose each idea once.")
        elif any(pk not in entries for pk in ids):
            message = _("Choose the winners among the shortlisted ideas.")
        elif any(entries[pk].idea.state != Idea.State.PUBLISHED for pk in ids):
            message = _("An idea that is no longer published cannot win.")
        if message:
            raise JuryError(message, code="bad_winners", fields={"winners": [message]})
        return _decide(
            round_=round_,
            actor=actor,
            winners=[entries[pk].idea for pk in ids],
            kind=Decision.Kind.OVERRIDDEN,
            reason=reason,
            now=now,
        )


# --- Telling people -------------------------------------------------------------------


def _round_name(round_: Round, user) -> str:
    language = getattr(user, "language", "") or round_.campaign.tenant.default_language
    with translation.override(language):
        return f"{round_.campaign.title} · {round_label(round_.campaign, round_)}"


def _jury_url(round_: Round) -> str:
    return f"/jury/rounds/{round_.public_id}/"


def _tell_shortlist_ready(shortlist: Shortlist) -> None:
    round_ = shortlist.round
    jurors = _users(
        Assignment.objects.filter(round=round_).values_list("juror_id", flat=True).distinct()
    )
    for juror in jurors:
        notify(
            recipient=juror,
            event="jury.shortlist_ready",
            tenant=round_.tenant,
            context={
                "round_name": _round_name(round_, juror),
                "deadline": shortlist.deadline.isoformat(),
                "url": _jury_url(round_),
            },
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


def _users(ids) -> list:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("pk"))


def reminders_send(*, shortlist: Shortlist, now: dt.datetime | None = None) -> int:
    """Tell jurors with ideas still to score, 24 hours before the deadline, and
    the chair (or, without one, the brand's owners and admins) once the deadline
    has passed with scores missing. Each message goes once per deadline (dedupe
    keys): running it again tells nobody twice. Returns the messages created."""
    now = now or timezone.now()
    shortlist = Shortlist.objects.select_related(
        "round", "round__campaign", "round__tenant", "jury"
    ).get(pk=shortlist.pk)
    round_ = shortlist.round
    if round_.state != Round.State.IN_REVIEW:
        return 0
    late = list(
        Assignment.objects.filter(round=round_, state=Assignment.State.PENDING)
        .values("juror_id")
        .annotate(n=Count("id"))
        .values_list("juror_id", flat=True)
    )
    if not late:
        return 0
    stamp = int(shortlist.deadline.timestamp())
    sent = 0
    with transaction.atomic():
        if shortlist.deadline - REMINDER_BEFORE <= now < shortlist.deadline:
            for juror in _users(late):
                notify(
                    recipient=juror,
                    event="jury.deadline_reminder",
                    tenant=round_.tenant,
                    context={
                        "round_name": _round_name(round_, juror),
                        "deadline": shortlist.deadline.isoformat(),
                        "url": _jury_url(round_),
                    },
                    dedupe_key=f"jury.deadline_reminder:{round_.public_id}:{stamp}",
                )
                sent += 1
        elif now >= shortlist.deadline:
            for person in _chairs_or_managers(shortlist):
                notify(
                    recipient=person,
                    event="jury.jurors_late",
                    tenant=round_.tenant,
                    context={
                        "round_name": _round_name(round_, person),
                        "late_count": len(late),
                        "url": _jury_url(round_)
                        if _is_member(shortlist, person)
                        else f"/console/challenges/{round_.campaign.slug}/jury/",
                    },
                    dedupe_key=f"jury.jurors_late:{round_.public_id}:{stamp}",
                )
                sent += 1
    return sent


def _is_member(shortlist: Shortlist, user) -> bool:
    return JuryMember.objects.filter(jury=shortlist.jury, user=user).exists()


def _chairs_or_managers(shortlist: Shortlist) -> list:
    chair = JuryMember.objects.filter(jury=shortlist.jury, role=JuryMember.Role.CHAIR).values_list(
        "user_id", flat=True
    )
    if chair:
        return _users(chair)
    managers = Membership.objects.filter(
        tenant=shortlist.tenant, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
    ).values_list("user_id", flat=True)
    return _users(managers)


def shortlists_due_for_reminders(now: dt.datetime | None = None) -> Q:
    """The filter of shortlists a reminder may be due for (the beat task's)."""
    now = now or timezone.now()
    return Q(round__state=Round.State.IN_REVIEW, deadline__lte=now + REMINDER_BEFORE)
