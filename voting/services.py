"""Every write on votes: cast, withdraw, the moderators' decisions, rankings
frozen per round, the round counter, and what other apps ask of voting (a
merge moves votes; a person's erasure withdraws them).

Exactness under bursts, in plain PostgreSQL:

- One vote per person and idea is the database's unique constraint; casting
  is `INSERT … ON CONFLICT DO NOTHING`, so fifty simultaneous clicks make one
  vote and forty-nine "already voted" answers.
- The idea's counters move by `UPDATE … SET vote_count = vote_count + 1` in
  the transaction of the insert, as its last statement (the idea's row is
  locked only from there to the commit): no update is lost, and a burst on one
  idea queues on that row for the shortest time.
- The allowance "votes per person per round" is counted under a transaction
  advisory lock on (round, person): simultaneous votes of one person on
  several ideas are counted one after the other.
- The campaign's "counters" advisory lock is taken shared by every write that
  moves counters, exclusively by the round counter's switch and by a freeze,
  so neither ever sees half of a vote.

Anti-fraud runs before the transaction, in Redis (voting.risk): rate limits
refuse, the risk score quarantines. Quarantined votes are kept but counted
nowhere until a moderator accepts them.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from accounts.models import Membership
from accounts.permissions import has_role
from accounts.selectors import has_accepted_current_terms
from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from config.api import DomainError
from ideas.models import Coauthor, Idea
from voting import risk, selectors
from voting.models import (
    Disqualification,
    RankingEntry,
    RankingSnapshot,
    RoundCounter,
    Vote,
)

REASON_MAX = 1000


class VoteError(DomainError):
    code = "vote_invalid"


class NotAllowed(DomainError):
    code = "permission_denied"
    status = status.HTTP_403_FORBIDDEN


class RankingError(DomainError):
    code = "ranking_invalid"


@dataclass
class VoteResult:
    """What a cast or a withdrawal did, and the idea's counts afterwards."""

    idea: Idea
    voted: bool  # the person has a vote for the idea now
    changed: bool  # this call wrote something (False: already voted / nothing to withdraw)
    status: str = ""  # the person's vote status ("" when none)
    vote_count: int = 0
    round_vote_count: int = 0
    votes_left: int | None = None  # the allowance left in the round; None: unlimited
    vote: Vote | None = None


# --- Locks --------------------------------------------------------------------------------


def _lock_key(*parts) -> str:
    return "ruche:voting:" + ":".join(str(p) for p in parts)


def _advisory_locks(*, counters_shared=(), counters_exclusive=(), others=()) -> None:
    """Take transaction advisory locks (released at commit), in one statement:
    the campaigns' counters locks (shared or exclusive), then others (exclusive)."""
    calls, params = [], []
    for campaign_id in sorted(set(counters_shared)):
        calls.append("pg_advisory_xact_lock_shared(hashtextextended(%s, 0))")
        params.append(_lock_key("counters", campaign_id))
    for campaign_id in sorted(set(counters_exclusive)):
        calls.append("pg_advisory_xact_lock(hashtextextended(%s, 0))")
        params.append(_lock_key("counters", campaign_id))
    for key in others:
        calls.append("pg_advisory_xact_lock(hashtextextended(%s, 0))")
        params.append(_lock_key(*key))
    if calls:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(calls)}", params)


# --- Who may vote, and where a vote goes ------------------------------------------------------


def voting_round(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> Round | None:
    """The round a vote cast at `at` belongs to: the newest weekly round taking
    votes, or the single round of a one-round challenge; None when voting is shut."""
    votable = lifecycle.voting_rounds(campaign, at, rounds)
    weekly = [r for r in votable if r.kind == Round.Kind.WEEKLY]
    pool = weekly or votable
    return max(pool, key=lambda r: r.index) if pool else None


def is_own_idea(user, idea: Idea) -> bool:
    """The author, or an accepted co-author (they share the prize)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if idea.author_id == user.pk:
        return True
    return Coauthor.objects.filter(
        tenant=idea.tenant_id, idea=idea, user=user, status=Coauthor.Status.ACCEPTED
    ).exists()


def _has_submitted(user, campaign: Campaign) -> bool:
    return Idea.objects.filter(
        tenant=campaign.tenant_id, campaign=campaign, author=user, submitted_at__isnull=False
    ).exists()


def check_can_vote(*, idea: Idea, voter, at: dt.datetime | None = None, rounds=None) -> Round:
    """The round the vote would go to, or the reason why not (a DomainError).
    The view, the API and the template ask this same rule (permissions.py)."""
    campaign = idea.campaign
    if not getattr(voter, "is_authenticated", False):
        raise NotAllowed(_("Sign in to vote."), code="not_signed_in")
    if not has_accepted_current_terms(voter, campaign.tenant):
        raise NotAllowed(
            _("Accept the terms of %(name)s before voting.") % {"name": campaign.tenant.name},
            code="terms_not_accepted",
        )
    if idea.state != Idea.State.PUBLISHED:
        raise VoteError(_("Only published ideas can be voted for."), code="idea_not_published")
    round_ = voting_round(campaign, at, rounds)
    if round_ is None:
        raise VoteError(_("Voting is not open in this challenge now."), code="voting_closed")
    if not campaign.self_vote_allowed and is_own_idea(voter, idea):
        raise VoteError(_("You cannot vote for your own idea."), code="own_idea")
    if campaign.voters == Campaign.Voters.CONTRIBUTORS and not _has_submitted(voter, campaign):
        raise VoteError(
            _("In this challenge, only people who submitted an idea may vote."),
            code="contributors_only",
        )
    return round_


# --- Counters -------------------------------------------------------------------------------

_INSERT = """
INSERT INTO {votes} (public_id, tenant_id, idea_id, voter_id, round_id, cast_at, status,
                     risk_score, evidence, ip_network, user_agent_hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s)
ON CONFLICT (idea_id, voter_id, tenant_id) DO NOTHING
RETURNING id
"""

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

# For the quarantined path: the idea's row is read under a share lock, so a
# merge or a moderation decision running now is waited for.
_STILL_VOTABLE = """
SELECT idea.state = 'published'
       AND NOT EXISTS (SELECT 1 FROM {disqualified} AS d WHERE d.idea_id = idea.id),
       idea.vote_count, idea.round_vote_count
FROM {ideas} AS idea WHERE idea.id = %s FOR SHARE
"""


def _sql(template: str) -> str:
    return template.format(
        votes=Vote._meta.db_table,
        ideas=Idea._meta.db_table,
        counters=RoundCounter._meta.db_table,
        disqualified=Disqualification._meta.db_table,
    )


def _counts_of(idea_id: int) -> tuple[int, int]:
    row = Idea.objects.filter(pk=idea_id).values_list("vote_count", "round_vote_count").first()
    return row or (0, 0)


def _adjust_counts(changes: list[tuple[Vote, int]]) -> None:
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
                with connection.cursor() as cursor:
                    cursor.execute(
                        _sql(_INCREMENT), {"delta": 1, "round": round_.pk, "idea": idea.pk}
                    )
                    counts = cursor.fetchone()
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
    _adjust_counts([(vote, -1) for vote in swept])
    _correct_snapshots(swept, delta=-1, cause="vote.quarantine", actor=None)
    audit_record(
        tenant=idea.tenant,
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
            _adjust_counts([(vote, -1)])
    result = _already(idea, None, None)
    result.changed = True
    round_ = voting_round(campaign, now)
    if round_ is not None and round_.votes_per_round:
        result.votes_left = round_.votes_per_round - selectors.votes_used(
            round_=round_, voter=voter
        )
    return result


# --- Moderators' decisions -------------------------------------------------------------------

ACCEPT, VOID = "accept", "void"
DECISIONS = {
    # action: (statuses it applies to, the status it sets)
    ACCEPT: ((Vote.Status.QUARANTINED, Vote.Status.VOID), Vote.Status.COUNTED),
    VOID: ((Vote.Status.QUARANTINED, Vote.Status.COUNTED), Vote.Status.VOID),
}


def _check_moderator(actor, tenant) -> None:
    if not has_role(actor, tenant, Membership.Role.MODERATOR):
        raise NotAllowed(_("Only the brand's moderators can review votes."))


def _clean_reason(reason: str) -> str:
    return " ".join(str(reason or "").split())[:REASON_MAX]


def votes_decide(*, votes, actor, action: str, reason: str = "", tenant=None) -> dict:
    """A moderator accepts votes (they count from now on: quarantined, or void
    by mistake) or voids them (they stop counting), in bulk. Counters and the
    frozen rankings of their rounds are corrected, and every decision is on
    record (one audit entry per idea). Votes already in the status asked for
    are skipped. Returns {"done": [...], "skipped": [...]} (votes)."""
    votes = list(votes)
    tenant = tenant or (votes[0].tenant if votes else None)
    if tenant is None:
        return {"done": [], "skipped": []}
    _check_moderator(actor, tenant)
    if action not in DECISIONS:
        message = _("Choose accept or void.")
        raise VoteError(message, fields={"action": [message]})
    reason = _clean_reason(reason)
    if action == VOID and not reason:
        raise VoteError(
            _("Say why these votes are void (kept on record)."),
            fields={"reason": [_("A reason is required to void votes.")]},
        )
    if not votes:
        raise VoteError(_("Select at least one vote."), code="nothing_selected")
    applies_to, new_status = DECISIONS[action]
    now = timezone.now()
    campaign_ids = set(
        Idea.objects.filter(pk__in={v.idea_id for v in votes}).values_list("campaign_id", flat=True)
    )
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        _freeze_due_rounds(campaign, now)
    with transaction.atomic():
        _advisory_locks(counters_shared=campaign_ids)
        locked = list(
            Vote.objects.select_for_update()
            .filter(tenant=tenant, pk__in=[v.pk for v in votes])
            .select_related("idea")
            .order_by("pk")
        )
        done = [v for v in locked if v.status in applies_to]
        skipped = [v for v in locked if v.status not in applies_to]
        if done:
            changes = []
            for vote in done:
                was_counted = vote.is_counted
                previous = vote.status
                vote.status = new_status
                vote.evidence = {
                    **vote.evidence,
                    "review": {"decision": action, "from": previous, "at": now.isoformat()},
                }
                if was_counted:
                    changes.append((vote, -1))
                elif new_status == Vote.Status.COUNTED:
                    changes.append((vote, +1))
            Vote.objects.bulk_update(done, ["status", "evidence"])
            _adjust_counts(changes)
            for delta in (-1, +1):
                _correct_snapshots(
                    [v for v, d in changes if d == delta],
                    delta=delta,
                    cause=f"vote.{action}",
                    actor=actor,
                    reason=reason,
                )
            by_idea = defaultdict(list)
            for vote in done:
                by_idea[vote.idea_id].append(vote)
            for idea_votes in by_idea.values():
                audit_record(
                    tenant=tenant,
                    actor=actor,
                    action=f"vote.{action}",
                    target=idea_votes[0].idea,
                    reason=reason,
                    data={
                        "votes": [str(v.public_id) for v in idea_votes],
                        "count": len(idea_votes),
                    },
                )
    return {"done": done, "skipped": skipped}


def idea_disqualify(*, idea: Idea, actor, reason: str) -> Disqualification:
    """A moderator takes an idea out of the vote: it leaves the live and frozen
    rankings (corrected, on record) and takes no more votes. Idempotent."""
    _check_moderator(actor, idea.tenant)
    reason = _clean_reason(reason)
    if not reason:
        raise VoteError(
            _("Say why the idea is disqualified (kept on record)."),
            fields={"reason": [_("A reason is required.")]},
        )
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        existing = Disqualification.objects.filter(tenant=idea.tenant, idea=idea).first()
        if existing is not None:
            return existing
        disqualification = Disqualification.objects.create(
            tenant=idea.tenant, idea=idea, reason=reason, decided_by=_user(actor)
        )
        _mark_in_snapshots(idea, disqualified=True, actor=actor, reason=reason)
        audit_record(
            tenant=idea.tenant, actor=actor, action="idea.disqualify", target=idea, reason=reason
        )
    return disqualification


def idea_requalify(*, idea: Idea, actor, reason: str = "") -> bool:
    """Undo a disqualification: the idea takes votes and is ranked again."""
    _check_moderator(actor, idea.tenant)
    reason = _clean_reason(reason)
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        deleted, _rows = Disqualification.objects.filter(tenant=idea.tenant, idea=idea).delete()
        if not deleted:
            return False
        _mark_in_snapshots(idea, disqualified=False, actor=actor, reason=reason)
        audit_record(
            tenant=idea.tenant, actor=actor, action="idea.requalify", target=idea, reason=reason
        )
    return True


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- Rankings ---------------------------------------------------------------------------------


def ranking_freeze(*, round: Round, now: dt.datetime | None = None) -> RankingSnapshot:
    """Freeze the round's ranking once its voting is over: the counted votes
    cast in its window, for its eligible ideas, as they are now. Idempotent:
    a second call (or two workers at once) returns the same snapshot. The round
    cycle calls it when voting closes; the voting tick does too, within a
    minute of the end, and so do withdrawals and erasures that would otherwise
    change a ranking due to be frozen."""
    now = now or timezone.now()
    round_ = Round.objects.select_related("campaign", "campaign__tenant").get(pk=round.pk)
    with transaction.atomic():
        _advisory_locks(others=[("freeze", round_.pk)])
        snapshot = selectors.snapshot_of(round_)
        if snapshot is not None:
            return snapshot
        if lifecycle.round_takes_votes(round_, now):
            raise RankingError(
                _("This round's voting is still open: its ranking cannot be frozen yet."),
                code="voting_open",
            )
        # Wait for votes being written now, and keep new ones out, while counting.
        _advisory_locks(counters_exclusive=[round_.campaign_id])
        rows = selectors.live_ranking_rows(round_)
        snapshot = RankingSnapshot.objects.create(
            tenant=round_.tenant,
            round=round_,
            frozen_at=now,
            total_votes=sum(r.votes for r in rows),
        )
        RankingEntry.objects.bulk_create(
            RankingEntry(
                tenant=round_.tenant,
                snapshot=snapshot,
                idea=row.idea,
                votes=row.votes,
                rank=row.rank,
                position=row.position,
                reached_at=row.reached_at,
            )
            for row in rows
        )
        audit_record(
            tenant=round_.tenant,
            actor=None,
            action="ranking.freeze",
            target=round_,
            data={"ideas": len(rows), "votes": snapshot.total_votes},
        )
    return snapshot


def _freeze_due_rounds(campaign: Campaign, now: dt.datetime) -> None:
    """Freeze the rounds whose voting is over but not frozen yet, before a write
    that frozen rankings must not see (a withdrawal, an erasure)."""
    frozen = RankingSnapshot.objects.filter(round=OuterRef("pk"))
    due = Round.objects.filter(campaign=campaign, voting_ends_at__lte=now).filter(~Exists(frozen))
    for round_ in list(due):
        ranking_freeze(round=round_, now=now)


def _rerank(snapshot: RankingSnapshot) -> None:
    entries = list(
        RankingEntry.objects.filter(snapshot=snapshot).select_related("idea").order_by("pk")
    )
    entries.sort(key=lambda e: selectors.sort_key(e.votes, e.reached_at, e.idea.published_at,
                                                  e.idea_id))  # fmt: skip
    selectors.assign_places(entries)
    RankingEntry.objects.bulk_update(entries, ["rank", "position"])
    snapshot.total_votes = sum(e.votes for e in entries if not e.disqualified)


def _correct_snapshots(votes: list[Vote], *, delta: int, cause: str, actor, reason="") -> None:
    """Votes started (+1) or stopped (-1) counting: correct the frozen rankings
    whose window holds them, re-rank, and put each correction on record."""
    if not votes:
        return
    campaign_ids = set(
        Idea.objects.filter(pk__in={v.idea_id for v in votes}).values_list("campaign_id", flat=True)
    )
    snapshots = list(
        RankingSnapshot.objects.select_for_update()
        .filter(round__campaign_id__in=campaign_ids)
        .select_related("round", "tenant")
        .order_by("pk")
    )
    for snapshot in snapshots:
        round_ = snapshot.round
        per_idea: dict[int, int] = defaultdict(int)
        for vote in votes:
            if round_.starts_at <= vote.cast_at < round_.voting_ends_at:
                per_idea[vote.idea_id] += delta
        if not per_idea:
            continue
        entries = {
            e.idea_id: e
            for e in RankingEntry.objects.filter(
                snapshot=snapshot, idea_id__in=list(per_idea)
            ).select_related("idea")
        }
        if not entries:
            continue
        for idea_id, change in per_idea.items():
            entry = entries.get(idea_id)
            if entry is not None:
                entry.votes = max(0, entry.votes + change)
        # Ties go to who reached the number first: for the corrected ideas, the
        # last vote still counted in the window (votes withdrawn since are gone).
        reached = dict(
            selectors.window_votes(round_)
            .filter(idea_id__in=list(entries))
            .values("idea")
            .annotate(last=Max("cast_at"))
            .order_by()
            .values_list("idea", "last")
        )
        for idea_id, entry in entries.items():
            entry.reached_at = reached.get(idea_id) if entry.votes else None
        RankingEntry.objects.bulk_update(list(entries.values()), ["votes", "reached_at"])
        _rerank(snapshot)
        snapshot.corrected_at = timezone.now()
        snapshot.save(update_fields=["total_votes", "corrected_at"])
        audit_record(
            tenant=snapshot.tenant,
            actor=actor,
            action="ranking.correct",
            target=round_,
            reason=reason,
            data={
                "cause": cause,
                "ideas": {
                    str(entries[i].idea.public_id): per_idea[i] for i in per_idea if i in entries
                },
            },
        )


def _mark_in_snapshots(idea: Idea, *, disqualified: bool, actor, reason: str) -> None:
    for entry in (
        RankingEntry.objects.select_for_update()
        .filter(idea=idea)
        .select_related("snapshot", "snapshot__round", "snapshot__tenant")
    ):
        if entry.disqualified == disqualified:
            continue
        entry.disqualified = disqualified
        entry.save(update_fields=["disqualified"])
        snapshot = entry.snapshot
        _rerank(snapshot)
        snapshot.corrected_at = timezone.now()
        snapshot.save(update_fields=["total_votes", "corrected_at"])
        audit_record(
            tenant=snapshot.tenant,
            actor=actor,
            action="ranking.correct",
            target=snapshot.round,
            reason=reason,
            data={
                "cause": "idea.disqualify" if disqualified else "idea.requalify",
                "ideas": {str(idea.public_id): 0},
            },
        )


# --- The round counter --------------------------------------------------------------------------


def round_counter_switch(*, campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """Point the challenge's `round_vote_count` at the round people are in now,
    recounted from the votes (usually 0 at a round's start). Idempotent; the
    voting tick calls it every minute. Returns whether it switched."""
    now = now or timezone.now()
    rounds = list(Round.objects.filter(campaign=campaign).order_by("index"))
    target = lifecycle.current_round(campaign, now, rounds)
    if target is None:
        return False
    with transaction.atomic():
        _advisory_locks(counters_exclusive=[campaign.pk])
        counter = RoundCounter.objects.filter(campaign=campaign).first()
        if counter is not None and counter.round_id == target.pk:
            return False
        # Wait for writers already holding an idea (a merge), then count afresh.
        list(
            Idea.objects.select_for_update()
            .filter(tenant=campaign.tenant_id, campaign=campaign)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        in_round = (
            Vote.objects.filter(idea=OuterRef("pk"), round=target, status=Vote.Status.COUNTED)
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Idea.objects.filter(tenant=campaign.tenant_id, campaign=campaign).update(
            round_vote_count=Coalesce(Subquery(in_round), Value(0))
        )
        if counter is None:
            RoundCounter.objects.create(
                tenant_id=campaign.tenant_id, campaign=campaign, round=target, switched_at=now
            )
        else:
            counter.round = target
            counter.switched_at = now
            counter.save(update_fields=["round", "switched_at"])
    return True


# --- What other apps ask of voting --------------------------------------------------------------


def votes_merge(*, duplicate: Idea, into: Idea) -> None:
    """Merge handler (ideas.extensions): the duplicate's votes move to `into`;
    a person who voted for both keeps one vote. Runs inside `idea_merge`'s
    transaction with both ideas' rows locked. Frozen rankings keep what they
    froze; `into`'s counters are recounted from its votes."""
    both = Vote.objects.filter(tenant=into.tenant_id, idea=into).values("voter_id")
    Vote.objects.filter(tenant=duplicate.tenant_id, idea=duplicate, voter_id__in=both).delete()
    Vote.objects.filter(tenant=duplicate.tenant_id, idea=duplicate).update(idea=into)
    counting = (
        RoundCounter.objects.filter(campaign_id=into.campaign_id)
        .values_list("round_id", flat=True)
        .first()
    )
    counted = Vote.objects.filter(tenant=into.tenant_id, idea=into, status=Vote.Status.COUNTED)
    into.vote_count = counted.count()
    into.round_vote_count = counted.filter(round_id=counting).count() if counting else 0
    into.save(update_fields=["vote_count", "round_vote_count"])
    Idea.objects.filter(pk=duplicate.pk).update(vote_count=0, round_vote_count=0)
    duplicate.vote_count = duplicate.round_vote_count = 0


def votes_erase(*, user, tenant) -> int:
    """The person's votes in the tenant are withdrawn (people's data: erasure or
    account deletion) and the counters corrected; frozen rankings stay as they
    were. Runs inside the caller's transaction and the tenant's scope."""
    votes = list(
        Vote.objects.filter(tenant=tenant, voter=user).select_related("idea").order_by("pk")
    )
    if not votes:
        return 0
    now = timezone.now()
    campaign_ids = {v.idea.campaign_id for v in votes}
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        _freeze_due_rounds(campaign, now)
    _advisory_locks(counters_shared=campaign_ids)
    Vote.objects.filter(pk__in=[v.pk for v in votes]).delete()
    _adjust_counts([(v, -1) for v in votes if v.is_counted])
    return len(votes)
