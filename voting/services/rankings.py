"""Rankings: frozen when a round's voting ends, corrected by the fraud review;
the "votes this round" counter moved to the round that starts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from ideas.models import Idea
from voting import selectors
from voting.models import (
    RankingEntry,
    RankingSnapshot,
    RoundCounter,
    Vote,
)
from voting.services.common import RankingError, _advisory_locks
from voting.services.counters import counters_recount

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
        counters_recount(
            ideas=Idea.objects.filter(tenant=campaign.tenant_id, campaign=campaign),
            round_id=target.pk,
            all_time=False,
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
