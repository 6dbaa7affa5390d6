"""A vote clicked before signing in or accepting the terms is carried as a
signed intent through both and cast on return, once, through the real
service — and a forged, expired, foreign or other browser's intent does
nothing but say so."""

import datetime as dt
import secrets
import uuid
from urllib.parse import parse_qs, urlparse

import time_machine
from django.utils import timezone
from django_scopes import scope

from accounts import intents
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from tests.campaigns.conftest import this_monday
from tests.conftest import force_login_on

from .conftest import accept_terms, fresh

HTMX = {"HTTP_HX_REQUEST": "true"}


def vote_url(idea):
    return f"/ideas/{idea.public_id}/vote/"


def click_vote(client, idea, **headers):
    page = f"http://ing.localhost{idea.get_absolute_url()}"
    return client.post(vote_url(idea), HTTP_HX_CURRENT_URL=page, **HTMX, **headers)


def next_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["next"][0]


def accept(client, next_url, **fields):
    data = {"version": "1", "accept": "on", "display_name": "Ana", "next": next_url} | fields
    return client.post("/consent/accept/", data, **HTMX)


def continue_of_a_click(client, idea) -> str:
    """A visitor clicks "Vote": the continue URL the sign-in is told to return to."""
    login = click_vote(client, idea)["HX-Redirect"]
    assert login.startswith("/accounts/login/?next=")
    return next_of(login)


def test_a_visitor_vote_is_cast_after_sign_in_and_the_terms(idea, make_voter, client_for):
    client = client_for(idea.tenant)
    back = continue_of_a_click(client, idea)
    assert back.startswith("/continue/?intent=")
    assert fresh(idea).vote_count == 0

    force_login_on(client, make_voter(terms=False), idea.tenant)  # back from the provider
    to_terms = client.get(back)
    assert to_terms.status_code == 302 and to_terms.url.startswith("/consent/?next=")
    assert next_of(to_terms.url) == back
    assert client.get(to_terms.url).status_code == 200
    accepted = accept(client, back)
    assert accepted["HX-Redirect"] == back  # on, not "thank you" and a dead end

    done = client.get(back)
    assert done.status_code == 302 and done.url == idea.get_absolute_url()
    assert fresh(idea).vote_count == 1
    page = client.get(done.url).text
    assert "¡Gracias por tu voto!" in page and "Has votado" in page


def test_a_returning_person_s_vote_is_cast_straight_after_sign_in(idea, make_voter, client_for):
    client = client_for(idea.tenant)
    back = continue_of_a_click(client, idea)
    force_login_on(client, make_voter(), idea.tenant)
    assert client.get(back).url == idea.get_absolute_url()
    assert fresh(idea).vote_count == 1


def test_a_new_participant_s_vote_is_cast_on_accepting_the_panel(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter(terms=False))
    panel = click_vote(client, idea)
    assert panel["HX-Retarget"] == "body"
    back = panel.text.split('name="next" value="')[1].split('"')[0].replace("&amp;", "&")
    assert back.startswith("/continue/?intent=")
    accepted = accept(client, back, as_panel="1")
    assert accepted["HX-Redirect"] == back
    client.get(back)
    assert fresh(idea).vote_count == 1


def test_a_reload_of_the_continue_page_votes_no_more(idea, make_voter, client_for, withdraw):
    client = client_for(idea.tenant)
    back = continue_of_a_click(client, idea)
    voter = make_voter()
    force_login_on(client, voter, idea.tenant)
    client.get(back)
    withdraw(idea, voter)
    again = client.get(back)
    assert again.status_code == 302 and again.url == idea.get_absolute_url()
    assert fresh(idea).vote_count == 0


def test_a_tampered_intent_is_ignored_with_a_message(idea, make_voter, client_for):
    client = client_for(idea.tenant)
    back = continue_of_a_click(client, idea)
    force_login_on(client, make_voter(), idea.tenant)
    params = parse_qs(urlparse(back).query)
    token = params["intent"][0]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get("/continue/", {"intent": forged, "next": params["next"][0]})
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    assert "no se ha podido hacer" in client.get(response.url).text
    assert fresh(idea).vote_count == 0


def test_an_expired_intent_is_ignored_with_a_message(idea, make_voter, client_for):
    client = client_for(idea.tenant)
    back = continue_of_a_click(client, idea)
    force_login_on(client, make_voter(), idea.tenant)
    later = timezone.now() + dt.timedelta(seconds=intents.INTENT_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.get(back)
        assert "no se ha podido hacer" in client.get(response.url).text
    assert fresh(idea).vote_count == 0


def test_an_intent_opened_in_another_browser_is_refused(idea, make_voter, client_for):
    back = continue_of_a_click(client_for(idea.tenant), idea)
    # Someone hands their link to another person: it must not vote for them.
    other = client_for(idea.tenant, make_voter())
    response = other.get(back)
    assert "no se ha podido hacer" in other.get(response.url).text
    assert fresh(idea).vote_count == 0


def decathlon_campaign(decathlon, stranger):
    with scope(tenant=decathlon):
        campaign = campaign_services.campaign_create(
            tenant=decathlon, actor=stranger, **genios_del_ahorro(this_monday())
        )
        campaign = campaign_services.campaign_publish(campaign=campaign, actor=stranger)
        round_cycle.campaign_catch_up(campaign=campaign)
    return campaign


def test_another_tenant_s_intent_is_refused(
    idea, decathlon, submit, make_voter, stranger, client_for
):
    # A token minted by Decathlon's site, for Decathlon's idea, opened on ING's.
    other_campaign = decathlon_campaign(decathlon, stranger)
    foreign_idea = submit(
        campaign=other_campaign, by=accept_terms(make_voter(terms=False), decathlon)
    )
    client = client_for(idea.tenant, make_voter())
    nonce = secrets.token_urlsafe(32)
    client.cookies[intents.COOKIE] = nonce
    browser = intents.browser_digest(nonce)
    cases = [
        (decathlon, foreign_idea.public_id),  # Decathlon's token
        (idea.tenant, foreign_idea.public_id),  # ING's token naming Decathlon's idea
        (idea.tenant, uuid.uuid4()),  # an idea that does not exist
    ]
    for tenant, target in cases:
        token = intents.intent_token(
            tenant=tenant, kind="vote", target=target, back="/", browser=browser
        )
        response = client.get(f"/continue/?intent={token}")
        assert response.status_code == 302 and response.url == "/"
    with scope(tenant=decathlon):
        foreign_idea.refresh_from_db()
    assert foreign_idea.vote_count == 0


def test_a_follow_clicked_signed_out_is_done_after_sign_in(idea, make_voter, client_for):
    from notifications.selectors import is_following

    client = client_for(idea.tenant)
    login = client.post(
        f"/ideas/{idea.public_id}/follow/", {"follow": "1"}, HTTP_REFERER=idea.get_absolute_url()
    )
    assert login.status_code == 302 and login.url.startswith("/accounts/login/?next=")
    voter = make_voter()
    force_login_on(client, voter, idea.tenant)
    assert client.get(next_of(login.url)).url == idea.get_absolute_url()
    with scope(tenant=idea.tenant):
        assert is_following(
            tenant=idea.tenant, user=voter, target_type="idea", target_id=idea.public_id
        )
