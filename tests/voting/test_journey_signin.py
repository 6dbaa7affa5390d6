"""From a shared idea to a cast vote, in a real browser: the visitor clicks
"Vote", signs in with one click (the demo provider; then Google's protocol
against a local fake), accepts the brand's terms, and is back on the idea's
page with the vote counted — without clicking "Vote" again."""

import pytest
from django_scopes import scope

from accounts.models import Consent, User
from tests.accounts.fake_oauth import FakeOAuth, point_allauth_at

from .conftest import fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def vote_button(page, idea):
    return page.locator(f"#vote-{idea.public_id} button.vote-button")


def accept_terms_and_vote(page, idea):
    """The terms come next; once accepted, the vote clicked before is cast."""
    page.wait_for_url("**/consent/?next=**")
    page.locator("#consent-accept").check()
    page.locator("form.consent-form").get_by_role("button").click()
    page.locator(f"#vote-{idea.public_id} .vote-done").wait_for()
    assert fresh(idea).vote_count == 1


def test_vote_sign_in_with_the_demo_provider_accept_terms_and_come_back(
    ing, idea, page, tenant_url
):
    url = tenant_url(ing, idea.get_absolute_url())
    page.goto(url)
    vote_button(page, idea).click()

    page.wait_for_url("**/accounts/login/?next=**")
    page.locator("button[data-provider=demo]").click()
    page.wait_for_url("**/accounts/dummy/authenticate/**")
    assert page.url.startswith(tenant_url(ing, "/").replace("ing.localhost", "localhost"))
    page.locator("#demo-email").fill("ana.demo@example.com")
    page.locator("form.auth-form button[type=submit]").first.click()

    accept_terms_and_vote(page, idea)
    assert page.url == url

    user = User.objects.get(email="ana.demo@example.com")
    with scope(tenant=ing):
        assert Consent.objects.filter(user=user, terms_version__version=1).exists()


@pytest.fixture
def fake_google(monkeypatch):
    fake = FakeOAuth().start()
    point_allauth_at(fake, monkeypatch)
    yield fake
    fake.stop()


def test_one_click_with_google_through_the_sign_in_host(ing, idea, page, tenant_url, fake_google):
    url = tenant_url(ing, idea.get_absolute_url())
    page.goto(url)
    vote_button(page, idea).click()
    page.wait_for_url("**/accounts/login/**")

    page.locator("button[data-provider=google]").click()

    accept_terms_and_vote(page, idea)
    assert page.url == url
    hosts_seen = {p["redirect_uri"] for p in fake_google.seen("/google/authorize")}
    port = url.split(":")[2].split("/")[0]
    assert hosts_seen == {f"http://localhost:{port}/accounts/google/login/callback/"}
    assert User.objects.get(email="ana@gmail.example").display_name == "Ana García"
