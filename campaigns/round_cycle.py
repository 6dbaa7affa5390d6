"""The life of a round, declared once and driven by one beat entry.

```mermaid
stateDiagram-v2
    [*] --> scheduled
    scheduled --> open: its start has passed
    scheduled --> voting_closed: voting over (ticks missed)
    open --> voting_closed: voting over · freeze the ranking
    voting_closed --> in_review: review may start · build the shortlist
    in_review --> decided: the chair decided, or nothing to judge
    decided --> announced: awards and payouts, winners and participants told
```

`TRANSITIONS` below is the table: for each step, the states it leaves, the
state it reaches, its guard (when it is due) and the extension points it runs.
`round_advance(round=…, now=…)` takes one round through every step due at
`now`; `due_rounds(now)` lists, across tenants, the rounds with a step due. The
one beat entry (`campaigns.tasks.lifecycle_tick`, config/celery.py) calls them.

The apps above this one plug their part of a round's life in through
`register_round_hook(point, function)` from their `AppConfig.ready()`, so this
module imports none of them:

    point            who        function(round_, now)
    opened           voting     point "this round" vote counters at the round that started
    voting_closing   voting     freeze the ranking (run before the round's row is claimed:
                                the freeze waits for votes being written)
    review_start     juries     build the shortlist and assign jurors
    decision_due     juries     (now) -> Q: in-review rounds worth looking at
    decision_ready   juries     True when the round may be decided (a decision, or an
                                empty shortlist past its deadline)
    deciding         juries     record a review closed with nothing to judge
    announce         rewards    awards and payouts; telling winners and participants —
                                each committed on its own, the round stays decided
                                until the last has run

Every step runs in a transaction that first claims the round's row
(`select_for_update(skip_locked=True)`) and checks its state: a second worker
on the same round skips it, and a step done by a worker that died right after
is seen as done. Hooks are idempotent (unique constraints, dedupe keys), so a
run that stops half-way is finished by the next tick with nothing twice. Every
state change goes through `services.round_transition` and is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django_scopes import scopes_disabled

from campaigns.models import Campaign, Round
from core.errors import DomainError

logger = logging.getLogger(__name__)

S = Round.State
POINTS = (
    "opened",
    "voting_closing",
    "review_start",
    "decision_due",
    "decision_ready",
    "deciding",
    "announce",
)

_hooks: dict[str, list[Callable]] = {point: [] for point in POINTS}


def register_round_hook(point: str, function: Callable) -> None:
    if point not in _hooks:
        raise ValueError(f"unknown round hook {point!r}; points are {', '.join(POINTS)}")
    if function not in _hooks[point]:
        _hooks[point].append(function)


def unregister_round_hook(point: str, function: Callable) -> None:
    if function in _hooks.get(point, []):
        _hooks[point].remove(function)


def hooks(point: str) -> list[Callable]:
    return list(_hooks[point])


# --- Guards ------------------------------------------------------------------------------


def _started(round_: Round, now: dt.datetime) -> bool:
    return round_.starts_at <= now


def _voting_over(round_: Round, now: dt.datetime) -> bool:
    return round_.voting_ends_at <= now


def _review_may_start(round_: Round, now: dt.datetime) -> bool:
    """A grand round whose prize round winners may not win waits until every
    weekly round is decided, so its shortlist can leave their winners out."""
    if round_.kind != Round.Kind.GRAND or round_.campaign.weekly_winners_can_win_grand:
        return True
    return not (
        Round.objects.filter(campaign_id=round_.campaign_id, kind=Round.Kind.WEEKLY)
        .exclude(state__in=[S.DECIDED, S.ANNOUNCED])
        .exists()
    )


def _decision_ready(round_: Round, now: dt.datetime) -> bool:
    return any(ready(round_, now) for ready in hooks("decision_ready"))


def _always(round_: Round, now: dt.datetime) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    target: str
    guard: Callable[[Round, dt.datetime], bool]
    before: str | None = None  # hook point run before the claim
    effect: str | None = None  # hook point run inside the claim, before the state moves


# The table. Order matters: a round late by several steps takes them in turn.
TRANSITIONS = (
    Transition((S.SCHEDULED,), S.OPEN, _started, effect="opened"),
    Transition((S.SCHEDULED, S.OPEN), S.VOTING_CLOSED, _voting_over, before="voting_closing"),
    Transition((S.VOTING_CLOSED,), S.IN_REVIEW, _review_may_start, effect="review_start"),
    Transition((S.IN_REVIEW,), S.DECIDED, _decision_ready, effect="deciding"),
    Transition((S.DECIDED,), S.ANNOUNCED, _always, effect="announce"),
)


def allowed(source: str, target: str) -> bool:
    """Whether the table has a step from `source` to `target`."""
    return any(t.target == target and source in t.source for t in TRANSITIONS)


# --- What is due -------------------------------------------------------------------------


def due_rounds(now: dt.datetime) -> list[tuple[int, int]]:
    """(tenant id, round id) of every round of a published challenge with a step
    due at `now`, across tenants (each is then advanced in its tenant's scope)."""
    due = (
        Q(state=S.SCHEDULED, starts_at__lte=now)
        | Q(state__in=[S.SCHEDULED, S.OPEN], voting_ends_at__lte=now)
        | Q(state=S.VOTING_CLOSED)
        | Q(state=S.DECIDED)
    )
    with scopes_disabled():  # the tick looks across tenants; each round runs in its scope
        for condition in [h(now) for h in hooks("decision_due")]:
            due |= Q(state=S.IN_REVIEW) & condition
        return list(
            Round.objects.exclude(campaign__status=Campaign.Status.DRAFT)
            .filter(due)
            .values_list("tenant_id", "pk")
            .order_by("pk")
        )


def due_campaigns(now: dt.datetime) -> list[tuple[int, int]]:
    """(tenant id, campaign id) of every challenge whose stored status is behind
    the clock (scheduled → open → closed)."""
    due = Q(status=Campaign.Status.SCHEDULED, starts_at__lte=now) | Q(
        status=Campaign.Status.OPEN, ends_at__lte=now
    )
    with scopes_disabled():
        return list(
            Campaign.objects.filter(due).values_list("tenant_id", "pk").distinct().order_by("pk")
        )


# --- One round ---------------------------------------------------------------------------


def _claim(round_id: int) -> Round | None:
    """The round's row, locked for this transaction, or None when another
    worker holds it (it is on this round now: leave it to it)."""
    return (
        Round.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("campaign", "campaign__tenant", "tenant")
        .filter(pk=round_id)
        .first()
    )


def _step_due(round_: Round, now: dt.datetime) -> Transition | None:
    if round_.campaign.status == Campaign.Status.DRAFT:
        return None
    for transition in TRANSITIONS:
        if round_.state in transition.source and transition.guard(round_, now):
            return transition
    return None


def _run_effect(transition: Transition, round_id: int, now: dt.datetime) -> bool:
    """Each function of the effect's point in its own claimed transaction (the
    announcement's steps commit one by one); False when one could not run."""
    for effect in hooks(transition.effect) if transition.effect else []:
        with transaction.atomic():
            locked = _claim(round_id)
            if locked is None or locked.state not in transition.source:
                return False
            try:
                with transaction.atomic():  # a refused hook leaves nothing half written
                    effect(locked, now)
            except DomainError as error:
                logger.warning("round %s: not %s: %s", round_id, transition.target, error)
                return False
    return True


def round_advance(*, round: Round, now: dt.datetime) -> list[str]:
    """Take the round through every step due at `now`; returns the states it
    reached (empty when nothing was due or another worker holds the round)."""
    from campaigns.services import round_transition

    done: list[str] = []
    for _pass in TRANSITIONS:  # at most one pass per step
        current = Round.objects.select_related("campaign").filter(pk=round.pk).first()
        if current is None:
            return done
        transition = _step_due(current, now)
        if transition is None:
            return done
        if transition.before:
            for before in hooks(transition.before):
                before(current, now)
        if not _run_effect(transition, current.pk, now):
            return done
        with transaction.atomic():
            locked = _claim(current.pk)
            if locked is None:
                return done
            if locked.state in transition.source:
                round_transition(round=locked, to=transition.target, from_states=transition.source)
        done.append(transition.target)
    return done


def campaign_catch_up(*, campaign: Campaign, now: dt.datetime | None = None) -> list[str]:
    """What one tick does for one challenge, at once: its status follows the
    clock and each of its rounds takes the steps due (for the demo, commands
    and tests that move the clock and want the challenge in step with it)."""
    from django.utils import timezone

    from campaigns.services import campaign_advance

    now = now or timezone.now()
    campaign_advance(campaign=campaign, now=now)
    done = []
    for round_ in Round.objects.filter(campaign=campaign).order_by("index"):
        done += round_advance(round=round_, now=now)
    return done
