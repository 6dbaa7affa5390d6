"""What a challenge page shows, computed once for the public page, the console's
preview and the API: the timeline with the current round, the countdown
target, the rules in plain words and the prizes.

Works on saved challenges (prefetched rounds and prizes) and on the console's
unsaved preview (schedule windows and unsaved prizes) alike.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import lifecycle
from campaigns.models import Campaign, Round
from campaigns.plain_rules import challenge_rules, deadline_local


@dataclass
class TimelineEntry:
    index: int
    kind: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    deadline: dt.datetime  # local time as people read it ("23:59", not "00:00")
    status: str  # "past", "current", "upcoming"
    state: str  # the stored round state ("scheduled" for an unsaved preview)
    state_label: str


def round_label(campaign: Campaign, round_) -> str:
    if round_.kind == Round.Kind.GRAND:
        return _("Grand final") if campaign.round_days else _("The challenge")
    if campaign.round_days == 7:
        return _("Week %(n)s") % {"n": round_.index}
    return _("Round %(n)s") % {"n": round_.index}


def timeline(campaign: Campaign, rounds, at: dt.datetime | None = None) -> list[TimelineEntry]:
    at = at or timezone.now()
    rounds = sorted(rounds, key=lambda r: r.index)
    current = lifecycle.current_round(campaign, at, rounds)
    entries = []
    for round_ in rounds:
        if current is not None and round_.index == current.index:
            status = "current"
        elif round_.kind == Round.Kind.GRAND:
            status = "past" if at >= round_.voting_ends_at else "upcoming"
        elif round_.ends_at <= at:
            status = "past"
        else:
            status = "upcoming"
        state = getattr(round_, "state", Round.State.SCHEDULED)
        entries.append(
            TimelineEntry(
                index=round_.index,
                kind=round_.kind,
                label=round_label(campaign, round_),
                starts_at=round_.starts_at,
                ends_at=round_.ends_at,
                deadline=deadline_local(round_.ends_at, campaign.tenant.time_zone),
                status=status,
                state=state,
                state_label=str(Round.State(state).label),
            )
        )
    return entries


@dataclass
class Countdown:
    target: dt.datetime
    label: str


def countdown(campaign: Campaign, rounds, at: dt.datetime | None = None) -> Countdown | None:
    """What the page counts down to: the start, the end of the running round's
    votes, or nothing once the challenge is over."""
    at = at or timezone.now()
    phase = lifecycle.campaign_phase(campaign, at)
    if phase == lifecycle.Phase.UPCOMING:
        return Countdown(campaign.starts_at, _("The challenge opens in"))
    if phase == lifecycle.Phase.OPEN:
        current = lifecycle.current_round(campaign, at, rounds)
        if current is not None and current.kind == Round.Kind.WEEKLY:
            return Countdown(current.voting_ends_at, _("This round closes in"))
        return Countdown(campaign.ends_at, _("The challenge closes in"))
    return None


def prize_lines(campaign: Campaign, prizes) -> list[dict]:
    weekly_label = _("Each week") if campaign.round_days == 7 else _("Each round")
    lines = []
    for prize in sorted(prizes, key=lambda p: (p.round_kind != "weekly", p.rank)):
        if prize.round_kind == Round.Kind.WEEKLY:
            when = weekly_label
        else:
            when = _("Grand prize") if campaign.round_days else _("Prize")
        if prize.rank > 1:
            when = _("%(when)s, place %(rank)s") % {"when": when, "rank": prize.rank}
        lines.append({"when": when, "prize": prize, "label": prize.label})
    return lines


def challenge_summary(campaign: Campaign, *, rounds, prizes, at: dt.datetime | None = None):
    """Everything the challenge page, its preview and the home cards read."""
    at = at or timezone.now()
    rounds = sorted(rounds, key=lambda r: r.index)
    entries = timeline(campaign, rounds, at)
    return {
        "phase": lifecycle.campaign_phase(campaign, at),
        "phase_label": lifecycle.Phase.labels[lifecycle.campaign_phase(campaign, at)],
        # An unsaved preview (schedule windows, no states) allows nothing yet.
        "allowed": lifecycle.allowed_now(campaign, at, rounds)
        if all(hasattr(r, "state") for r in rounds)
        else None,
        "timeline": entries,
        "current_entry": next((e for e in entries if e.status == "current"), None),
        "countdown": countdown(campaign, rounds, at),
        "rules": challenge_rules(
            campaign, rounds=rounds, prizes=prizes, time_zone=campaign.tenant.time_zone
        ),
        "prize_lines": prize_lines(campaign, prizes),
        "round_count": sum(1 for r in rounds if r.kind == Round.Kind.WEEKLY),
        "time_zone": campaign.tenant.time_zone,
    }
