"""What a challenge and its rounds allow at a given moment — declared here once.

Every other app asks these functions ("may people submit now?", "which rounds
does a vote cast now count in?") instead of comparing dates itself.

The stored statuses are moved by the services and the periodic tick
(`round_cycle`), but the answers below never wait for the tick: a
scheduled challenge whose start has passed *is* open, and a round whose voting
end has passed takes no more votes even before the round cycle freezes it.

    phase = campaign_phase(campaign)            # Phase.OPEN …
    allowed = allowed_now(campaign)             # .submit, .vote, .review, .round
    round_ = submission_round(campaign)         # where an idea submitted now goes
    voting_rounds(campaign)                     # rounds a vote cast now counts in

Functions taking `rounds` accept the campaign's rounds already loaded (ordered
by index), so list pages stay at a constant number of queries; without them
they use `campaign.rounds.all()` (one query, or none when prefetched).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Round


class Phase:
    """Where a challenge is for the public. Not stored: derived from status and time."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    labels = {
        DRAFT: _("Draft"),
        UPCOMING: _("Coming soon"),
        OPEN: _("Open"),
        CLOSED: _("Finished"),
        ARCHIVED: _("Archived"),
    }


PUBLISHED_STATUSES = (Campaign.Status.SCHEDULED, Campaign.Status.OPEN)
# Round states in which the round still takes votes (if its window is on).
ROUND_STATES_TAKING_VOTES = (Round.State.SCHEDULED, Round.State.OPEN)
ROUND_STATES_IN_REVIEW = (Round.State.IN_REVIEW,)
ROUND_STATES_DONE = (Round.State.DECIDED, Round.State.ANNOUNCED)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _rounds(campaign: Campaign, rounds) -> list[Round]:
    if rounds is None:
        rounds = campaign.rounds.all()
    return sorted(rounds, key=lambda r: r.index)


def campaign_phase(campaign: Campaign, at: dt.datetime | None = None) -> str:
    at = _now(at)
    status = campaign.status
    if status == Campaign.Status.DRAFT:
        return Phase.DRAFT
    if status == Campaign.Status.ARCHIVED:
        return Phase.ARCHIVED
    if status == Campaign.Status.CLOSED or at >= campaign.ends_at:
        return Phase.CLOSED
    if at < campaign.starts_at:
        return Phase.UPCOMING
    return Phase.OPEN


def due_status(campaign: Campaign, at: dt.datetime | None = None) -> str:
    """The status the challenge should have stored now (what the tick writes)."""
    phase = campaign_phase(campaign, at)
    return {
        Phase.DRAFT: Campaign.Status.DRAFT,
        Phase.UPCOMING: Campaign.Status.SCHEDULED,
        Phase.OPEN: Campaign.Status.OPEN,
        Phase.CLOSED: Campaign.Status.CLOSED,
        Phase.ARCHIVED: Campaign.Status.ARCHIVED,
    }[phase]


def round_is_running(round_: Round, at: dt.datetime | None = None) -> bool:
    """The round's submission window contains `at`."""
    at = _now(at)
    return round_.starts_at <= at < round_.ends_at


def round_takes_votes(round_: Round, at: dt.datetime | None = None) -> bool:
    at = _now(at)
    return (
        round_.state in ROUND_STATES_TAKING_VOTES and round_.starts_at <= at < round_.voting_ends_at
    )


def current_round(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> Round | None:
    """The round people are in now: the running weekly round, or the grand round
    when the challenge has a single round. None before the start and after the end."""
    at = _now(at)
    ordered = _rounds(campaign, rounds)
    weekly = [r for r in ordered if r.kind == Round.Kind.WEEKLY]
    for round_ in weekly or ordered:
        if round_is_running(round_, at):
            return round_
    return None


def next_round(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> Round | None:
    """The first round that has not started yet, if any."""
    at = _now(at)
    for round_ in _rounds(campaign, rounds):
        if round_.starts_at > at:
            return round_
    return None


def submission_round(
    campaign: Campaign, at: dt.datetime | None = None, rounds=None
) -> Round | None:
    """The round an idea submitted at `at` belongs to, or None when submissions are shut."""
    at = _now(at)
    if campaign_phase(campaign, at) != Phase.OPEN:
        return None
    round_ = current_round(campaign, at, rounds)
    if round_ is None or round_.state not in ROUND_STATES_TAKING_VOTES:
        return None
    return round_


def voting_rounds(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> list[Round]:
    """Every round a vote cast at `at` counts in (the running round and the grand one)."""
    at = _now(at)
    # Closed counts too: a round's votes may be set to end after the challenge.
    if campaign_phase(campaign, at) not in (Phase.OPEN, Phase.CLOSED):
        return []
    return [r for r in _rounds(campaign, rounds) if round_takes_votes(r, at)]


def rounds_due_to_open(campaign: Campaign, at: dt.datetime | None = None, rounds=None):
    """Scheduled rounds of a published challenge whose start has passed."""
    at = _now(at)
    if campaign.status not in PUBLISHED_STATUSES and campaign.status != Campaign.Status.CLOSED:
        return []
    return [
        r
        for r in _rounds(campaign, rounds)
        if r.state == Round.State.SCHEDULED and r.starts_at <= at
    ]


def rounds_due_to_close_voting(campaign: Campaign, at: dt.datetime | None = None, rounds=None):
    """Rounds whose voting window is over but which the round cycle has not frozen yet."""
    at = _now(at)
    if campaign.status == Campaign.Status.DRAFT:
        return []
    return [
        r
        for r in _rounds(campaign, rounds)
        if r.state in ROUND_STATES_TAKING_VOTES and r.voting_ends_at <= at
    ]


@dataclass(frozen=True)
class Allowed:
    """What people may do in a challenge right now."""

    phase: str
    submit: bool
    vote: bool
    review: bool
    round: Round | None
    voting_rounds: list[Round] = field(default_factory=list)


def allowed_now(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> Allowed:
    at = _now(at)
    ordered = _rounds(campaign, rounds)
    votable = voting_rounds(campaign, at, ordered)
    return Allowed(
        phase=campaign_phase(campaign, at),
        submit=submission_round(campaign, at, ordered) is not None,
        vote=bool(votable),
        review=any(r.state in ROUND_STATES_IN_REVIEW for r in ordered),
        round=current_round(campaign, at, ordered),
        voting_rounds=votable,
    )


def totals_hidden(campaign: Campaign, at: dt.datetime | None = None, rounds=None) -> bool:
    """The challenge hides vote totals now: it asks to while a round is open,
    and votes are being cast. (Rankings are still computed; who may see them
    anyway is `campaigns.selectors.vote_totals_shown`.)"""
    if campaign.show_vote_counts:
        return False
    return bool(voting_rounds(campaign, at, _rounds(campaign, rounds)))


def can_edit_schedule(campaign: Campaign) -> bool:
    """Rounds are recomputed freely only while the challenge is a draft."""
    return campaign.status == Campaign.Status.DRAFT


def has_started(campaign: Campaign, at: dt.datetime | None = None) -> bool:
    return campaign.is_published and _now(at) >= campaign.starts_at
