"""Each panel's figures over a week seeded through the services, counted by hand.

The week (round 1 of "Genios del Ahorro", which starts on a Monday; times on
ING's clock, Madrid):

    Tue 10:00  Ana submits "Idea A", Bea "Idea B", Carl "Idea C": published (post-moderation).
               Dan submits D "Ahorro gratis": held, "gratis" is a blocked word.
    Tue 16:00  the moderator approves D                      (waited 6 h)
    Wed 09:00  Eva submits E "Todo gratis": held
    Wed 10:00  Fer submits F "Gratis total": held, still waiting at the end
    Wed 11:00  the moderator approves E                      (waited 2 h)
    Wed 12:00  votes: A ← Bea, Vic, Val; B ← Ana, Vic; D ← Vic
    Wed 13:00  comments: Ana on B, Val on A; Vic flags C
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django_scopes import scope

from ideas import services as idea_services
from insights.selection import Selection
from insights.selectors import ideas, moderation, people, prizes, rounds
from insights.selectors import jury as jury_selectors

# The rewards and jury tests' world (made through the services).
from tests.insights.rewards_world import *  # noqa: F403
from tests.juries.conftest import first_round
from voting import services as voting_services

pytestmark = pytest.mark.django_db
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def read(selector, selection, **options):
    """A selector's answer, read in the selection's tenant scope (as a view does)."""
    with scope(tenant=selection.tenant):
        return selector(selection=selection, **options)


def week_of(campaign, **narrow) -> Selection:
    first = first_round(campaign)
    start = first.starts_at.astimezone(MADRID).date()
    return Selection(
        tenant=campaign.tenant,
        campaign=campaign,
        start_day=start,
        end_day=start + dt.timedelta(days=6),
        rounds=(first,),
        **narrow,
    )


@pytest.fixture
def week(genios, owner, moderator, make_person, make_idea):
    monday = first_round(genios).starts_at.astimezone(MADRID)

    def at(day, hour):
        return time_machine.travel(monday + dt.timedelta(days=day, hours=hour), tick=False)

    people_ = {name: make_person(name) for name in ("Ana", "Bea", "Carl", "Dan", "Eva", "Fer")}
    people_.update({name: make_person(name) for name in ("Vic", "Val")})
    tenant = genios.tenant
    with scope(tenant=tenant):
        idea_services.moderation_rules_update(
            tenant=tenant, actor=owner, blocked_words="gratis", links="allow", allowed_domains=""
        )

    def submit(title, who):
        return make_idea(title=title, author=people_[who], body="Un truco para ahorrar cada mes.")

    with at(1, 10):
        a, b, c = submit("Idea A", "Ana"), submit("Idea B", "Bea"), submit("Idea C", "Carl")
        d = submit("Ahorro gratis", "Dan")
    with at(1, 16), scope(tenant=tenant):
        idea_services.ideas_moderate(ideas=[d], actor=moderator, action="approve")
    with at(2, 9):
        e = submit("Todo gratis", "Eva")
    with at(2, 10):
        f = submit("Gratis total", "Fer")
    with at(2, 11), scope(tenant=tenant):
        idea_services.ideas_moderate(ideas=[e], actor=moderator, action="approve")
    with at(2, 12), scope(tenant=tenant):
        for idea, voters in ((a, "Bea Vic Val"), (b, "Ana Vic"), (d, "Vic")):
            for who in voters.split():
                idea.refresh_from_db()
                assert voting_services.vote_cast(idea=idea, voter=people_[who]).changed
    with at(2, 13), scope(tenant=tenant):
        for idea in (a, b, c):
            idea.refresh_from_db()
        idea_services.comment_post(idea=b, author=people_["Ana"], body="Muy útil")
        idea_services.comment_post(idea=a, author=people_["Val"], body="¡Bien!")
        idea_services.idea_flag(idea=c, reporter=people_["Vic"], reason="spam")
    return {"ideas": (a, b, c, d, e, f), "people": people_}


def test_activity_counts_people_ideas_votes_and_comments(genios, week):
    totals = read(people.activity, week_of(genios))
    assert (totals.people, totals.ideas, totals.votes, totals.comments) == (8, 6, 6, 2)


def test_most_active_people_most_contributions_first(genios, week):
    rows = read(people.most_active, week_of(genios))
    assert [(p.name, p.ideas, p.votes, p.comments) for p in rows] == [
        ("Ana", 1, 1, 1),
        ("Vic", 0, 3, 0),
        ("Bea", 1, 1, 0),
        ("Val", 0, 1, 1),
        ("Carl", 1, 0, 0),
        ("Dan", 1, 0, 0),
        ("Eva", 1, 0, 0),
        ("Fer", 1, 0, 0),
    ]


def test_top_ideas_votes_trend_and_comments(genios, week):
    rows = read(ideas.top_ideas, week_of(genios))
    assert [(i.title, i.votes, i.recent, i.trend, i.comments, i.jury_score) for i in rows] == [
        ("Idea A", 3, 3, 3, 1, None),
        ("Idea B", 2, 2, 2, 1, None),
        ("Ahorro gratis", 1, 1, 1, 0, None),
    ]


def test_a_period_before_the_week_shows_nothing(genios, week):
    selection = week_of(genios)
    before = Selection(
        tenant=selection.tenant,
        campaign=genios,
        start_day=selection.start_day - dt.timedelta(days=7),
        end_day=selection.start_day - dt.timedelta(days=1),
    )
    assert read(ideas.top_ideas, before) == []
    assert read(people.most_active, before) == []
    assert read(people.activity, before).ideas == 0


def test_moderation_workload(genios, week):
    load = read(moderation.workload, week_of(genios))
    assert [d["queue"] for d in load.days] == [0, 0, 1, 1, 1, 1, 1]
    assert [d["joined"] for d in load.days][:3] == [0, 1, 2]
    assert [d["left"] for d in load.days][:3] == [0, 1, 1]
    assert load.queue_now == 1
    assert load.decisions == 2
    assert load.median_hours == 4.0  # the median of 6 h and 2 h
    assert (load.submitted, load.held_by_rules, load.held_by_rules_share) == (6, 3, 50.0)
    assert (load.flags, load.flags_open, load.hidden_by_flags) == (1, 1, 0)


def test_the_brand_dashboard_counts_every_challenge(genios, week):
    one = week_of(genios)
    brand = Selection(tenant=one.tenant, start_day=one.start_day, end_day=one.end_day)
    assert read(people.activity, brand) == read(people.activity, one)
    assert read(moderation.workload, brand).median_hours == 4.0


def test_jury_score_is_the_mean_of_weighted_scores_out_of_100(genios, all_scored):
    # A: chair (10, 10, 1) → 80, Jorge (7, 4, 10) → 60, Elena (4, 4, 4) → 33.3; mean 57.8
    # B: chair (7, 7, 7) → 66.7, Jorge (10, 7, 4) → 73.3, Elena (10, 10, 10) → 100; mean 80
    _review, (a, b, _c) = all_scored
    with scope(tenant=genios.tenant):
        scores = ideas.jury_scores(tenant=genios.tenant, idea_ids=[a.pk, b.pk])
    assert scores == {a.pk: 57.8, b.pk: 80.0}


def test_jury_progress_counts_scored_assignments(genios, scored_round, chair, score):
    review, (a, b, c) = scored_round
    for idea in (a, b, c):
        score(review.assignment(chair, idea), chair, [5, 5, 5])
    (row,) = read(jury_selectors.jury_progress, week_of(genios))
    assert (row.round_index, row.total, row.submitted, row.pending) == (1, 9, 3, 6)
    assert row.percent == 33.3


def test_prize_spend_promised_awarded_approved_paid(genios, approved_payouts):
    (spend,) = read(prizes.prize_spend, week_of(genios))
    # Promised: 500 € x 4 weekly rounds + 1,500 € grand prize.
    assert spend.currency == "EUR"
    assert [amount for _label, amount in spend.steps] == [
        Decimal("3500"),
        Decimal("500"),
        Decimal("500"),
        Decimal("0"),
    ]


def test_prize_spend_of_one_round(genios, approved_payouts):
    round_one = first_round(genios)
    (spend,) = read(prizes.prize_spend, week_of(genios, round=round_one))
    assert (spend.promised, spend.awarded, spend.approved) == (
        Decimal("500"),
        Decimal("500"),
        Decimal("500"),
    )


def test_two_rounds_side_by_side(genios, week):
    with scope(tenant=genios.tenant):
        first, second = list(genios.rounds.order_by("index"))[:2]
    pair = read(rounds.compare_rounds, week_of(genios, round=first, compare=second))
    assert [side["label"] for side in pair] == ["Round 1", "Round 2"]
    assert [side["activity"].votes for side in pair] == [6, 0]
    assert [[i.title for i in side["top"]] for side in pair] == [
        ["Idea A", "Idea B", "Ahorro gratis"],
        [],
    ]
