"""A running round keeps the rules it was published with: a change of the votes
per person made during a round applies from the next round, through the API
and through the console alike; with no round left to take it, it is refused."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django_scopes import scope

from campaigns import lifecycle
from campaigns.models import Round
from tests.campaigns.test_views_console import local_input
from voting import services

pytestmark = pytest.mark.django_db

GRAND_ONLY = [{"round_kind": "grand", "amount": "1500", "currency": "EUR"}]
API = "/api/v1/console/challenges/{slug}"
STEP = "/console/challenges/{slug}/edit/schedule/"


@pytest.fixture
def three_votes(make_campaign):
    """An open challenge of weekly rounds, three votes per person per round."""
    return make_campaign(slug="tres-votos", votes_per_round=3)


def allowances(campaign) -> list[tuple[int, str, int | None]]:
    with scope(tenant=campaign.tenant):
        return [
            (r.index, r.kind, r.votes_per_round)
            for r in Round.objects.filter(campaign=campaign).order_by("index")
        ]


def current_index(campaign) -> int:
    with scope(tenant=campaign.tenant):
        return lifecycle.current_round(campaign).index


def schedule_form(campaign, **extra):
    data = {
        "starts_at": local_input(campaign.starts_at),
        "ends_at": local_input(campaign.ends_at),
        "cadence": campaign.cadence,
        "voters": campaign.voters,
        "votes_per_round": "" if campaign.votes_per_round is None else campaign.votes_per_round,
        "round_covers": campaign.round_covers,
        "show_vote_counts": "on",
    }
    data.update(extra)
    return data


def three_ideas(campaign, submit, make_voter):
    authors = [make_voter() for _ in range(3)]
    return [
        submit(campaign=campaign, by=author, title=f"Idea número {n}")
        for n, author in enumerate(authors)
    ]


def test_through_the_api_the_change_waits_for_the_next_round(
    ing, owner, three_votes, submit, make_voter, cast, client_for
):
    ideas = three_ideas(three_votes, submit, make_voter)
    voter = make_voter()
    assert cast(ideas[0], voter).votes_left == 2
    response = client_for(ing, owner).patch(
        API.format(slug=three_votes.slug), {"votes_per_round": 1}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["votes_per_round"] == 1
    now = current_index(three_votes)
    weekly = {r["index"]: r["votes_per_round"] for r in body["rounds"] if r["kind"] == "weekly"}
    assert weekly[now] == 3  # the round under way, as published
    assert {weekly[i] for i in weekly if i > now} == {1}
    # This round still allows three votes.
    assert cast(ideas[1], voter).votes_left == 1
    assert cast(ideas[2], voter).votes_left == 0
    with scope(tenant=ing):
        round_ = Round.objects.get(campaign=three_votes, index=now)
    next_round = round_.ends_at + dt.timedelta(hours=1)
    # From the next round on: one vote.
    with time_machine.travel(next_round, tick=False), scope(tenant=ing):
        newer = [
            submit(campaign=three_votes, by=make_voter(), title=f"Idea nueva {n}") for n in (1, 2)
        ]
        assert services.vote_cast(idea=newer[0], voter=voter).votes_left == 0
        with pytest.raises(services.VoteError) as refused:
            services.vote_cast(idea=newer[1], voter=voter)
        assert refused.value.code == "no_votes_left"


def test_through_the_console_the_change_waits_for_the_next_round(
    ing, owner, three_votes, submit, make_voter, cast, client_for
):
    ideas = three_ideas(three_votes, submit, make_voter)
    voter = make_voter()
    cast(ideas[0], voter)
    client = client_for(ing, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(STEP.format(slug=three_votes.slug)).text
    assert "a change applies from the next round" in page
    response = client.post(
        STEP.format(slug=three_votes.slug), schedule_form(three_votes, votes_per_round="1")
    )
    assert response.status_code == 302
    now = current_index(three_votes)
    rows = allowances(three_votes)
    assert [v for i, kind, v in rows if i == now] == [3]
    assert {v for i, kind, v in rows if kind == "weekly" and i > now} == {1}
    assert cast(ideas[1], voter).changed
    assert cast(ideas[2], voter).votes_left == 0


def test_the_challenge_page_says_which_rule_holds_now(ing, owner, three_votes, client_for):
    client_for(ing, owner).patch(
        API.format(slug=three_votes.slug), {"votes_per_round": 1}, content_type="application/json"
    )
    client = client_for(ing)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rules = client.get(f"/api/v1/challenges/{three_votes.slug}").json()["rules"]
    assert "You have 3 votes in this round." in rules
    assert "From the next round on: 1 vote per round." in rules


def test_a_draft_or_a_challenge_not_started_changes_every_round(
    ing, owner, client_for, make_campaign
):
    from tests.campaigns.conftest import next_monday

    later = make_campaign(slug="mas-tarde", votes_per_round=3, starts_at=next_monday())
    response = client_for(ing, owner).patch(
        API.format(slug=later.slug), {"votes_per_round": 2}, content_type="application/json"
    )
    assert response.status_code == 200
    assert {v for _i, _kind, v in allowances(later)} == {2}


def test_with_no_round_left_the_change_is_refused(ing, owner, client_for, make_campaign):
    single = make_campaign(slug="una-ronda", votes_per_round=3, cadence="single", prizes=GRAND_ONLY)
    client = client_for(ing, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.patch(
        API.format(slug=single.slug), {"votes_per_round": 1}, content_type="application/json"
    )
    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["votes_per_round"]
    assert "round under way" in message
    assert {v for _i, _kind, v in allowances(single)} == {3}
    page = client.post(STEP.format(slug=single.slug), schedule_form(single, votes_per_round="1"))
    assert page.status_code == 400
    assert "round under way" in page.text
    with scope(tenant=ing):
        single.refresh_from_db()
    assert single.votes_per_round == 3


def test_an_unchanged_value_is_no_change(ing, owner, client_for, make_campaign):
    single = make_campaign(slug="una-ronda", votes_per_round=3, cadence="single", prizes=GRAND_ONLY)
    response = client_for(ing, owner).patch(
        API.format(slug=single.slug), {"votes_per_round": 3}, content_type="application/json"
    )
    assert response.status_code == 200
