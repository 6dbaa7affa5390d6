"""On a phone, from a shared idea link: a new person is on the idea form in
three taps (Google, the terms' box, accept), a returning one in one; another
clicks "Vote" signed out and the vote counts after sign-in and the terms,
without clicking "Vote" again. Google is a local fake of its OAuth protocol."""

import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import User
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from ideas.models import Idea
from tests.accounts.fake_oauth import FakeOAuth, point_allauth_at
from tests.campaigns.conftest import this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fake_google(monkeypatch):
    fake = FakeOAuth().start()
    point_allauth_at(fake, monkeypatch)
    yield fake
    fake.stop()


@pytest.fixture
def shared_idea(ing, owner, make_user):
    """A published idea of "Genios del Ahorro", by someone else."""
    author = make_user("author@example.com", display_name="Lola")
    with scope(tenant=ing):
        campaign = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
        round_cycle.campaign_catch_up(campaign=campaign)
        account_services.consent_accept(tenant=ing, user=author, version=1, display_name="Lola")
        idea = idea_services.idea_submit(
            campaign=campaign,
            author=author,
            title="Redondea tus compras",
            body="Cada compra se redondea al euro y la diferencia se ahorra.",
        )
    assert idea.state == Idea.State.PUBLISHED
    return idea


class Taps:
    """Every click the person makes, counted."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def test_a_new_person_is_on_the_idea_form_in_three_taps(
    ing, shared_idea, phone, tenant_url, fake_google
):
    tap = Taps()
    phone.goto(tenant_url(ing, shared_idea.get_absolute_url()))
    form_url = tenant_url(ing, "/challenges/genios-del-ahorro/ideas/new/")

    join = phone.locator("section.join-in")
    expect(join).to_be_visible()
    tap(join.locator("button[data-provider=google]"))
    # Back from Google (through the sign-in host): the brand's terms, once.
    phone.wait_for_url("**/consent/?next=**")
    tap(phone.locator("#consent-accept"))
    tap(phone.locator("form.consent-form").get_by_role("button"))

    phone.wait_for_url(form_url)
    expect(phone.locator("form").filter(has=phone.locator("[name=title]"))).to_be_visible()
    assert tap.count == 3

    # Returning (signed out since): one tap on Google, and on the form.
    phone.context.clear_cookies()
    phone.goto(tenant_url(ing, shared_idea.get_absolute_url()))
    tap = Taps()
    tap(phone.locator("section.join-in button[data-provider=google]"))
    phone.wait_for_url(form_url)
    assert tap.count == 1


def test_a_vote_clicked_signed_out_counts_after_sign_in_and_the_terms(
    ing, shared_idea, phone, tenant_url, fake_google
):
    tap = Taps()
    url = tenant_url(ing, shared_idea.get_absolute_url())
    phone.goto(url)
    tap(phone.locator(f"#vote-{shared_idea.public_id} button.vote-button"))
    phone.wait_for_url("**/accounts/login/?next=**")
    tap(phone.locator("button[data-provider=google]"))
    phone.wait_for_url("**/consent/?next=**")
    tap(phone.locator("#consent-accept"))
    tap(phone.locator("form.consent-form").get_by_role("button"))

    phone.wait_for_url(url)
    expect(phone.locator(f"#vote-{shared_idea.public_id} .vote-done")).to_be_visible()
    # The person's language comes with their account: either way, it is said.
    expect(phone.locator(".messages").first).to_contain_text(
        re.compile("Thank you for your vote!|¡Gracias por tu voto!")
    )
    assert tap.count == 4  # "Vote" was clicked once
    with scope(tenant=ing):
        shared_idea.refresh_from_db()
        assert shared_idea.vote_count == 1
        assert shared_idea.votes.filter(voter=User.objects.get(email="ana@gmail.example")).exists()
