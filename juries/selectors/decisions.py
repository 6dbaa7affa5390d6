"""Shortlists and decisions: what the chair sees and may decide."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch
from django.utils import timezone

from campaigns.models import Campaign, Round
from ideas.models import Idea
from juries.models import (
    Assignment,
    Decision,
    DecisionWinner,
    Shortlist,
    ShortlistEntry,
)
from juries.selectors.access import _ideas_for_jury

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


def decisions_between(*, tenant, start, end) -> list[Decision]:
    """The jury decisions of every challenge taken in [start, end) (the weekly
    report's "jury's pick"), with their winners, in the order they were taken."""
    return list(
        Decision.objects.filter(tenant=tenant, decided_at__gte=start, decided_at__lt=end)
        .select_related("round", "round__campaign")
        .prefetch_related(
            Prefetch(
                "winners",
                queryset=DecisionWinner.objects.select_related("idea").order_by("rank"),
            )
        )
        .order_by("decided_at", "pk")
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


def decidable(
    shortlist: Shortlist,
    user,
    now: dt.datetime | None = None,
    *,
    assignment_states: list[tuple[int, str]] | None = None,
) -> bool:
    """The chair may decide now: their own ideas done, and every juror done or
    the deadline passed (the service checks the same). `assignment_states`:
    the round's (juror pk, state) of every assignment, when the page has them."""
    if assignment_states is not None:
        waiting = {juror for juror, state in assignment_states if state == Assignment.State.PENDING}
        if user.pk in waiting:
            return False
        return not waiting or deadline_passed(shortlist, now)
    pending = Assignment.objects.filter(round_id=shortlist.round_id, state=Assignment.State.PENDING)
    if pending.filter(juror=user).exists():
        return False
    return not pending.exists() or deadline_passed(shortlist, now)
