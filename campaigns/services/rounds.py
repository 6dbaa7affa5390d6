"""A challenge's rounds: laid out from its dates and cadence, rescheduled when
they change, and the challenge's stored status kept in step with the clock."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record
from campaigns import lifecycle
from campaigns.models import Campaign, Round
from campaigns.schedule import round_windows
from integrations.events import publish

# --- Rounds ----------------------------------------------------------------------------


def _windows(campaign: Campaign):
    return round_windows(
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        round_days=campaign.round_days,
        time_zone=campaign.tenant.time_zone,
    )


def _rounds_create(campaign: Campaign) -> None:
    """The rounds of a new challenge."""
    Round.objects.bulk_create(_round_of(campaign, window) for window in _windows(campaign))


def _round_of(campaign: Campaign, window) -> Round:
    """A new round of the challenge over one of its windows (not saved)."""
    return Round(
        tenant=campaign.tenant,
        campaign=campaign,
        index=window.index,
        kind=window.kind,
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        voting_ends_at=window.voting_ends_at,
        votes_per_round=campaign.votes_per_round,
    )


def _rounds_reschedule(campaign: Campaign) -> None:
    """The dates or the cadence changed: move the rounds that still take part to
    their new windows, add the new ones, drop scheduled ones that no longer fit.
    Rounds keep their identity (other apps point at them); rounds whose voting
    is over never change. A draft's rounds are all scheduled, so they follow the
    settings freely; a published challenge's only as far as the services allow
    (a later end, a start moved before it came). Call while holding the
    challenge's row lock."""
    existing = list(Round.objects.select_for_update().filter(campaign=campaign))
    grand = next((r for r in existing if r.kind == Round.Kind.GRAND), None)
    weekly = {r.index: r for r in existing if r.kind == Round.Kind.WEEKLY}
    windows = _windows(campaign)
    if grand is not None:  # out of the way of the weekly indexes while they move
        grand.index = 1000
        grand.save(update_fields=["index"])
    for index, round_ in weekly.items():
        if index >= len(windows) and round_.state == Round.State.SCHEDULED:
            round_.delete()
    for window in windows:
        round_ = grand if window.kind == Round.Kind.GRAND else weekly.get(window.index)
        if round_ is None:
            _round_of(campaign, window).save()
            continue
        fields = []
        if round_.index != window.index:
            round_.index = window.index
            fields.append("index")
        if round_.state in lifecycle.ROUND_STATES_TAKING_VOTES:
            if round_.state == Round.State.SCHEDULED and round_.starts_at != window.starts_at:
                round_.starts_at = window.starts_at
                fields.append("starts_at")
            if round_.ends_at != window.ends_at:
                round_.ends_at = window.ends_at
                round_.voting_ends_at = window.voting_ends_at
                fields += ["ends_at", "voting_ends_at"]
        if fields:
            round_.save(update_fields=fields)


def _shift_days(moment: dt.datetime, tz, days: int) -> dt.datetime:
    local = moment.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(dt.UTC)


# --- The tick --------------------------------------------------------------------------


def campaign_advance(*, campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """Bring the challenge's stored status up to date with the clock: a
    scheduled challenge whose start passed opens, an open one whose end passed
    closes. Idempotent: running it twice, or on two workers at once, changes
    nothing the second time. Returns whether something changed.

    Rounds move through the round cycle only (campaigns/round_cycle.py)."""
    now = now or timezone.now()
    changed = False
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .select_related("tenant")
            .filter(pk=campaign.pk)
            .first()
        )
        if campaign is None:
            return False
        due = lifecycle.due_status(campaign, now)
        if campaign.status in lifecycle.PUBLISHED_STATUSES and due != campaign.status:
            previous = campaign.status
            campaign.status = due
            fields = ["status", "updated_at"]
            if due == Campaign.Status.CLOSED:
                campaign.closed_at = now
                fields.append("closed_at")
            campaign.save(update_fields=fields)
            audit_record(
                actor=None, action=f"campaign.{due}", target=campaign, data={"from": previous}
            )
            changed = True
    return changed


def round_transition(*, round: Round, to: str, from_states: tuple[str, ...]) -> bool:
    """Move a round to `to` if it is in one of `from_states`, with a conditional
    UPDATE: running it twice, or on two workers at once, moves it once. Returns
    whether it moved (and sets `round.state`).

    Only the steps of the round cycle's table are allowed
    (round_cycle.TRANSITIONS): the cycle itself, and the jury (in_review when
    the shortlist is made, decided when the chair confirms) move rounds here."""
    from campaigns.round_cycle import allowed

    if to not in Round.State.values:
        raise ValueError(f"unknown round state {to!r}")
    if not any(allowed(source, to) for source in from_states):
        raise ValueError(f"no round step leads from {from_states} to {to!r}")
    moved = Round.objects.filter(pk=round.pk, state__in=from_states).update(state=to) == 1
    if moved:
        previous = round.state
        round.state = to
        audit_record(actor=None, action=f"round.{to}", target=round, data={"from": previous})
        if to == Round.State.VOTING_CLOSED:
            publish(tenant=round.tenant, event="round.closed", data=round_event_data(round))
    return moved


def round_event_data(round_: Round, **extra) -> dict:
    """The round's part of a webhook payload (round.closed, shortlist.ready,
    winner.decided)."""
    return {
        "campaign_id": round_.campaign.public_id,
        "round_id": round_.public_id,
        "round_index": round_.index,
        "round_kind": round_.kind,
        "state": round_.state,
        **extra,
    }
