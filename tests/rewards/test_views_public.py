"""The public side: winners on the challenge page and their own page (with the
shares), the leaderboards, a winner's payouts and payment-details form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from rewards.models import Payout, PayoutDetails

from .conftest import IBAN_ES


def test_the_challenge_page_shows_the_winners_and_the_most_active(announced, genios, client_for):
    page = client_for(genios.tenant).get(f"/challenges/{genios.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Winners so far" in text and "Idea A" in text and "Week 1" in text
    assert "Most active contributors" in text
    winners = client_for(genios.tenant).get(f"/challenges/{genios.slug}/winners/")
    assert winners.status_code == 200 and "Idea A" in winners.content.decode()


def test_the_idea_page_shows_the_prize_and_its_split(announced, genios, client_for):
    _round, winner, other, _now = announced
    page = client_for(genios.tenant).get(f"/ideas/{winner.public_id}/")
    assert page.status_code == 200
    assert "Winner · Week 1" in page.content.decode()
    assert "The whole prize goes to" in page.content.decode()
    loser = client_for(genios.tenant).get(f"/ideas/{other.public_id}/").content.decode()
    assert "Winner ·" not in loser


def test_winners_are_hidden_until_the_round_is_announced(
    genios, make_idea, vote, decide, client_for
):
    winner = vote(make_idea(title="Idea A"), 2)
    decide([winner])  # decided, not announced
    page = client_for(genios.tenant).get(f"/challenges/{genios.slug}/winners/")
    assert "Idea A" not in page.content.decode()


def test_the_leaderboards_show_points_with_constant_queries(genios, client_for, make_idea, vote):
    from django.core.cache import cache

    vote(make_idea(title="First"), 1)
    page = client_for(genios.tenant).get(f"/challenges/{genios.slug}/leaderboard/")
    assert page.status_code == 200
    first = page.content.decode()
    assert "Person" in first and "11" in first  # 10 for the idea, 1 for its vote
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client_for(genios.tenant).get("/leaderboard/?x=1")
    for n in range(4):
        vote(make_idea(title=f"More {n}"), 2)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client_for(genios.tenant).get("/leaderboard/?x=2")
    assert len(many) == len(few)


def test_other_tenant_gets_404_on_the_challenge_s_rewards_pages(
    announced, genios, decathlon, client_for
):
    for path in [f"/challenges/{genios.slug}/winners/", f"/challenges/{genios.slug}/leaderboard/"]:
        assert client_for(decathlon).get(path).status_code == 404


def test_my_payouts_needs_a_sign_in(ing, client_for):
    response = client_for(ing).get("/me/payouts/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_winner_enters_details_and_sees_the_iban_masked(announced, genios, client_for):
    _round, winner, _other, _now = announced
    client = client_for(genios.tenant, winner.author)
    page = client.get("/me/payouts/")
    assert page.status_code == 200 and "Idea A" in page.content.decode()
    saved = client.post(
        "/me/payouts/", {"holder_name": "Ana García", "iban": IBAN_ES, "bic": ""}, follow=True
    )
    text = saved.content.decode()
    assert "Your payment details are saved." in text
    assert "ES•• •••• •••• 1332" in text and "0418" not in text
    with scope(tenant=genios.tenant):
        assert Payout.objects.get().state == "ready"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"iban": "ES91 2100 0418 4502 0005 1331"}, "check digits do not match"),
        ({"iban": "BR18 0036 0305 0000 1000 9795 493C 1"}, "use an account in the SEPA zone"),
        ({"holder_name": ""}, "Enter the account holder"),
    ],
)
def test_bad_payout_details_show_clear_form_errors(ing, participant, client_for, values, message):
    data = {"holder_name": "Pat", "iban": IBAN_ES, "bic": "", **values}
    response = client_for(ing, participant).post("/me/payouts/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and 'aria-invalid="true"' in text
    with scope(tenant=ing):
        assert not PayoutDetails.objects.exists()


def test_someone_else_s_payouts_are_not_listed(announced, genios, participant, client_for):
    page = client_for(genios.tenant, participant).get("/me/payouts/")
    assert "Idea A" not in page.content.decode()
