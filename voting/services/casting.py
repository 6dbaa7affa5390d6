"""Casting and withdrawing a vote: exact under bursts, anti-fraud signals kept."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns import lifecycle
from core.errors import NotAllowed
from ideas.models import Idea
from voting import risk, selectors
from voting.models import (
    Vote,
)
from voting.services.common import VoteError, VoteResult, _advisory_locks
from voting.services.counters import _counts_of, _sql, counters_adjust, counters_count_vote
from voting.services.eligibility import check_can_vote, voting_round
from voting.services.rankings import _correct_snapshots, _freeze_due_rounds

# --- Counters -------------------------------------------------------------------------------

_INSERT = """
INSERT INTO {votes} (public_id, tenant_id, idea_id, voter_id, round_id, cast_at, status,
                     risk_score, evidence, ip_network, user_agent_hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)
ON CONFLICT (idea_id, voter_id, tenant_id) DO NOTHING
RETURNING id
"""


# For the quarantined path: the idea's row is read under a share lock, so a
# merge or a moderation decision running now is waited for.
_STILL_VOTABLE = """
SELECT idea.state = 'published'
       AND NOT EXISTS (SELECT 1 FROM {disqualified} AS d WHERE d.idea_id = idea.id),
       idea.vote_count, idea.round_vote_count
FROM {ideas} AS idea WHERE idea.id = %s FOR SHARE
"""


# --- Cast and withdraw -----------------------------------------------------------------------


def vote_cast(
    *,
    idea: Idea,
    voter,
    ip: str | None = None,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> VoteResult:
    """The person votes for the idea. Casting twice is not an error: the result
    says nothing changed (`changed=False`) and nothing is written.

    Raises NotAllowed (sign-in, terms), VoteError (closed, own idea, no votes
    left…) or risk.RateLimited (too fast); nothing is written then."""
    now = now or timezone.now()
    campaign = idea.campaign
    round_ = check_can_vote(idea=idea, voter=voter, at=now)
    allowance = round_.votes_per_round  # the round's rule, as published
    assessment = risk.assess(
        tenant_id=idea.tenant_id,
        idea_id=idea.pk,
        voter=voter,
        ip=ip,
        user_agent=user_agent,
        now=now,
    )
    status_ = Vote.Status.QUARANTINED if assessment.quarantine else Vote.Status.COUNTED
    written = False
    try:
        with transaction.atomic():
            _advisory_locks(
                counters_shared=[campaign.pk],
                others=[("allowance", round_.pk, voter.pk)] if allowance else [],
            )
            used = None
            if allowance:
                used = selectors.votes_used(round_=round_, voter=voter)
                if used >= allowance:
                    existing = selectors.vote_of(voter, idea)
                    if existing is not None:
                        return _already(idea, existing, allowance - used)
                    raise VoteError(
                        _("You have used all your votes for this round (%(n)s).")
                        % {"n": allowance},
                        code="no_votes_left",
                    )
            public_id = uuid.uuid4()
            with connection.cursor() as cursor:
                cursor.execute(
                    _sql(_INSERT),
                    [
                        public_id,
                        idea.tenant_id,
                        idea.pk,
                        voter.pk,
                        round_.pk,
                        now,
                        status_,
                        assessment.score,
                        json.dumps(assessment.evidence()),
                        assessment.network,
                        assessment.agent,
                    ],
                )
                inserted = cursor.fetchone()
            if inserted is None:
                existing = selectors.vote_of(voter, idea)
                left = None if used is None else allowance - used
                return _already(idea, existing, left)
            if status_ == Vote.Status.COUNTED:
                counts = counters_count_vote(idea_id=idea.pk, round_id=round_.pk)
                if counts is None:
                    raise VoteError(
                        _("This idea cannot be voted for any more."), code="idea_not_votable"
                    )
            else:
                with connection.cursor() as cursor:
                    cursor.execute(_sql(_STILL_VOTABLE), [idea.pk])
                    votable, *counts = cursor.fetchone()
                if not votable:
                    raise VoteError(
                        _("This idea cannot be voted for any more."), code="idea_not_votable"
                    )
                if risk.claim_sweep(assessment):
                    _sweep(idea=idea, assessment=assessment, now=now, trigger=public_id)
                    counts = _counts_of(idea.pk)
            written = True
    finally:
        if not written:
            risk.take_back(assessment.added_keys)
    vote = Vote(
        pk=inserted[0],
        public_id=public_id,
        tenant_id=idea.tenant_id,
        idea=idea,
        voter=voter,
        round=round_,
        cast_at=now,
        status=status_,
        risk_score=assessment.score,
        evidence=assessment.evidence(),
        ip_network=assessment.network,
        user_agent_hash=assessment.agent,
    )
    idea.vote_count, idea.round_vote_count = counts
    return VoteResult(
        idea=idea,
        voted=True,
        changed=True,
        status=status_,
        vote_count=counts[0],
        round_vote_count=counts[1],
        votes_left=None if used is None else allowance - used - 1,
        vote=vote,
    )


def _already(idea: Idea, existing: Vote | None, votes_left: int | None) -> VoteResult:
    vote_count, round_vote_count = _counts_of(idea.pk)
    idea.vote_count, idea.round_vote_count = vote_count, round_vote_count
    return VoteResult(
        idea=idea,
        voted=existing is not None,
        changed=False,
        status=existing.status if existing else "",
        vote_count=vote_count,
        round_vote_count=round_vote_count,
        votes_left=votes_left,
        vote=existing,
    )


def _sweep(*, idea: Idea, assessment: risk.Assessment, now: dt.datetime, trigger) -> int:
    """A burst was just found on the idea: the votes counted earlier in the
    window that share its concentration (same network, same browser
    signature, fresh accounts — whichever fired) are quarantined too, with
    the reason in their evidence. Call inside the cast's transaction."""
    kinds = assessment.concentrations
    votes = Vote.objects.select_for_update().filter(
        tenant=idea.tenant_id,
        idea=idea,
        status=Vote.Status.COUNTED,
        cast_at__gte=now - dt.timedelta(seconds=risk.WINDOW),
        cast_at__lte=now,
    )
    if "network_on_idea" in kinds:
        votes = votes.filter(ip_network=assessment.network)
    if "agent_on_idea" in kinds:
        votes = votes.filter(user_agent_hash=assessment.agent)
    if "fresh_burst" in kinds:
        votes = votes.filter(
            evidence__account_age_minutes__lt=int(risk.FRESH_DAY.total_seconds() // 60)
        )
    swept = list(votes.order_by("pk"))
    if not swept:
        return 0
    signal = {
        "code": "swept",
        "points": 0,
        "because": kinds,
        "with_vote": str(trigger),
        "at": now.isoformat(),
    }
    for vote in swept:
        vote.status = Vote.Status.QUARANTINED
        vote.evidence = {**vote.evidence, "signals": [*vote.evidence.get("signals", []), signal]}
        vote.risk_score = max(vote.risk_score, assessment.score)
    Vote.objects.bulk_update(swept, ["status", "evidence", "risk_score"])
    counters_adjust([(vote, -1) for vote in swept])
    _correct_snapshots(swept, delta=-1, cause="vote.quarantine", actor=None)
    audit_record(
        actor=None,
        action="vote.quarantine",
        target=idea,
        data={"votes": [str(v.public_id) for v in swept], "count": len(swept), "because": kinds},
    )
    return len(swept)


def vote_withdraw(*, idea: Idea, voter, now: dt.datetime | None = None) -> VoteResult:
    """The person takes their vote back while voting is open in the challenge.
    Nothing to withdraw is not an error (`changed=False`). The vote is deleted:
    the rankings already frozen keep it, the live ones no longer count it."""
    now = now or timezone.now()
    campaign = idea.campaign
    if not getattr(voter, "is_authenticated", False):
        raise NotAllowed(_("Sign in to vote."), code="not_signed_in")
    if not lifecycle.allowed_now(campaign, now).vote:
        raise VoteError(
            _("Voting is over in this challenge: votes can no longer be withdrawn."),
            code="voting_closed",
        )
    _freeze_due_rounds(campaign, now)
    with transaction.atomic():
        _advisory_locks(counters_shared=[campaign.pk])
        vote = (
            Vote.objects.select_for_update()
            .filter(tenant=idea.tenant_id, idea=idea, voter=voter)
            .first()
        )
        if vote is None:
            return _already(idea, None, None)
        if vote.status == Vote.Status.VOID:
            raise VoteError(
                _("This vote was set aside after review; it cannot be withdrawn."),
                code="vote_void",
            )
        was_counted = vote.is_counted
        vote.delete()
        if was_counted:
            counters_adjust([(vote, -1)])
    result = _already(idea, None, None)
    result.changed = True
    round_ = voting_round(campaign, now)
    if round_ is not None and round_.votes_per_round:
        result.votes_left = round_.votes_per_round - selectors.votes_used(
            round_=round_, voter=voter
        )
    return result
