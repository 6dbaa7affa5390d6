"""The chair's decision on a round: confirmed, or overridden with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns.models import Round
from campaigns.services import round_event_data
from ideas.models import Idea
from integrations.events import publish
from juries import selectors
from juries.models import (
    Assignment,
    Decision,
    DecisionWinner,
    JuryMember,
    Shortlist,
    ShortlistEntry,
)
from juries.services.common import JuryError, NotChair, _clean_reason, _lock_round, _round_move

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
    publish(
        tenant=round_.tenant,
        event="winner.decided",
        data=round_event_data(round_, idea_ids=[idea.public_id for idea in winners]),
    )
    audit_record(
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
