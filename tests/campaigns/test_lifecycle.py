"""What a challenge allows at each moment: declared once, asked by every app."""

import datetime as dt
import zoneinfo

import pytest

from campaigns import lifecycle
from campaigns.lifecycle import Phase
from campaigns.models import Campaign, Round
from campaigns.schedule import round_windows
from tenants.models import Tenant

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
START = dt.datetime(2030, 3, 18, tzinfo=MADRID)  # a Monday
END = dt.datetime(2030, 4, 15, tzinfo=MADRID)  # four weeks later


def challenge(status=Campaign.Status.SCHEDULED, cadence="weekly"):
    campaign = Campaign(
        tenant=Tenant(time_zone="Europe/Madrid"),
        status=status,
        starts_at=START,
        ends_at=END,
        cadence=cadence,
    )
    rounds = [
        Round(
            index=w.index,
            kind=w.kind,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            voting_ends_at=w.voting_ends_at,
            state=Round.State.SCHEDULED,
        )
        for w in round_windows(
            starts_at=START, ends_at=END, round_days=campaign.round_days, time_zone="Europe/Madrid"
        )
    ]
    return campaign, rounds


def at(days, hours=0):
    return START + dt.timedelta(days=days, hours=hours)


@pytest.mark.parametrize(
    ("status", "moment", "phase"),
    [
        (Campaign.Status.DRAFT, at(3), Phase.DRAFT),
        (Campaign.Status.SCHEDULED, at(-1), Phase.UPCOMING),
        (Campaign.Status.SCHEDULED, at(0), Phase.OPEN),  # the tick has not run yet: still open
        (Campaign.Status.OPEN, at(27, 23), Phase.OPEN),
        (Campaign.Status.OPEN, at(28), Phase.CLOSED),
        (Campaign.Status.CLOSED, at(3), Phase.CLOSED),  # closed early
        (Campaign.Status.ARCHIVED, at(40), Phase.ARCHIVED),
    ],
)
def test_the_phase_follows_status_and_clock(status, moment, phase):
    campaign, _rounds = challenge(status)
    assert lifecycle.campaign_phase(campaign, moment) == phase


def test_ideas_go_to_the_running_week_and_votes_count_in_it_and_the_grand_round():
    campaign, rounds = challenge(Campaign.Status.OPEN)
    moment = at(8)  # Tuesday of week 2
    assert lifecycle.submission_round(campaign, moment, rounds).index == 2
    assert [r.index for r in lifecycle.voting_rounds(campaign, moment, rounds)] == [2, 5]
    allowed = lifecycle.allowed_now(campaign, moment, rounds)
    assert (allowed.phase, allowed.submit, allowed.vote, allowed.review) == (
        Phase.OPEN,
        True,
        True,
        False,
    )
    assert allowed.round.index == 2


def test_the_boundary_belongs_to_the_next_round():
    campaign, rounds = challenge(Campaign.Status.OPEN)
    boundary = rounds[0].ends_at  # Monday 25 March 00:00 in Madrid
    assert lifecycle.current_round(campaign, boundary - dt.timedelta(seconds=1), rounds).index == 1
    assert lifecycle.current_round(campaign, boundary, rounds).index == 2


def test_nothing_is_allowed_before_the_start_or_after_the_end():
    campaign, rounds = challenge(Campaign.Status.OPEN)
    for moment in (at(-1), at(28), at(30)):
        allowed = lifecycle.allowed_now(campaign, moment, rounds)
        assert (allowed.submit, allowed.vote, allowed.round) == (False, False, None)


def test_a_drafts_rounds_allow_nothing():
    campaign, rounds = challenge(Campaign.Status.DRAFT)
    allowed = lifecycle.allowed_now(campaign, at(3), rounds)
    assert (allowed.phase, allowed.submit, allowed.vote) == (Phase.DRAFT, False, False)


def test_a_round_frozen_by_the_round_cycle_takes_no_more_votes():
    campaign, rounds = challenge(Campaign.Status.OPEN)
    rounds[0].state = Round.State.VOTING_CLOSED
    assert [r.index for r in lifecycle.voting_rounds(campaign, at(2), rounds)] == [5]
    assert lifecycle.submission_round(campaign, at(2), rounds) is None
    rounds[0].state = Round.State.IN_REVIEW
    assert lifecycle.allowed_now(campaign, at(8), rounds).review is True


def test_rounds_due_for_the_cycles():
    campaign, rounds = challenge(Campaign.Status.OPEN)
    assert [r.index for r in lifecycle.rounds_due_to_open(campaign, at(8), rounds)] == [1, 2, 5]
    assert [r.index for r in lifecycle.rounds_due_to_close_voting(campaign, at(8), rounds)] == [1]
    assert [r.index for r in lifecycle.rounds_due_to_close_voting(campaign, at(28), rounds)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_a_single_round_challenge_takes_ideas_in_its_grand_round():
    campaign, rounds = challenge(Campaign.Status.OPEN, cadence="single")
    assert [(r.index, r.kind) for r in rounds] == [(1, "grand")]
    assert lifecycle.submission_round(campaign, at(10), rounds).kind == "grand"


def test_due_status_is_what_the_tick_writes():
    campaign, _rounds = challenge(Campaign.Status.SCHEDULED)
    assert lifecycle.due_status(campaign, at(-1)) == Campaign.Status.SCHEDULED
    assert lifecycle.due_status(campaign, at(1)) == Campaign.Status.OPEN
    assert lifecycle.due_status(campaign, at(29)) == Campaign.Status.CLOSED
