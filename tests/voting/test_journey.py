"""Voting in a real browser: the button swaps in place with the new count, the
terms are accepted inline on the first click, and the vote can be taken back."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from voting.models import Vote

from .conftest import fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, client_for, tenant, user, tenant_url):
    session = client_for(tenant, user).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": tenant_url(tenant)}])


def test_a_participant_votes_and_withdraws_without_leaving_the_page(
    idea, make_voter, page, client_for, tenant_url
):
    voter = make_voter()
    _sign_in(page, client_for, idea.tenant, voter, tenant_url)
    url = tenant_url(idea.tenant, idea.get_absolute_url())
    page.goto(url)
    box = page.locator(f"#vote-{idea.public_id}")
    expect(box.locator(".vote-count")).to_have_text("0 votos")

    box.locator("button.vote-button").click()
    expect(box.locator(".vote-count")).to_have_text("1 voto")
    expect(box.locator("[role=status]")).to_have_text("¡Gracias por tu voto!")
    assert page.url == url  # swapped by htmx, no reload
    assert fresh(idea).vote_count == 1

    box.locator("button.vote-withdraw").click()
    expect(box.locator(".vote-count")).to_have_text("0 votos")
    expect(box.locator("button.vote-button")).to_be_visible()
    assert fresh(idea).vote_count == 0


def test_the_first_vote_asks_for_the_terms_inline_then_counts(
    genios, idea, make_voter, page, client_for, tenant_url
):
    newcomer = make_voter(terms=False)
    _sign_in(page, client_for, idea.tenant, newcomer, tenant_url)
    page.goto(tenant_url(idea.tenant, "/challenges/genios-del-ahorro/ideas/"))
    card_button = page.locator(f"#vote-{idea.public_id} button.vote-button")
    card_button.click()
    panel = page.locator("#consent-panel form")
    expect(panel).to_be_visible()
    with scope(tenant=idea.tenant):
        assert not Vote.objects.exists()  # the click did not vote
    page.locator("#consent-accept").check()
    panel.get_by_role("button").click()
    # Accepting carries the click through: the vote is cast, no second click.
    expect(page.locator(f"#vote-{idea.public_id} .vote-count")).to_have_text("1 voto")
    assert fresh(idea).vote_count == 1
