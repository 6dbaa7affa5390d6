"""From a shared link to a cast vote, in a real browser: the visitor clicks
"vote", signs in with one click (the demo provider; then Google's protocol
against a local fake), accepts the brand's terms inline, and is back on the page.

The page is accounts' "try voting" target until the ideas app's idea pages exist.
"""

import pytest
from django_scopes import scope

from accounts.models import Consent, User
from tests.accounts.fake_oauth import FakeOAuth, point_allauth_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accept_terms_and_vote(page):
    gate = page.locator("#consent-gate form")
    gate.wait_for()
    page.locator("#consent-accept").check()
    gate.locator("button[type=submit]").click()
    page.locator(".consent-accepted").wait_for()
    page.locator("#vote-button").click()
    page.locator(".vote-done").wait_for()


def test_vote_sign_in_with_the_demo_provider_accept_terms_and_come_back(ing, page, tenant_url):
    idea = tenant_url(ing, "/try-voting/")
    page.goto(idea)
    page.locator("#vote-button").click()

    page.wait_for_url("**/accounts/login/?next=%2Ftry-voting%2F")
    page.locator("button[data-provider=demo]").click()
    page.wait_for_url("**/accounts/dummy/authenticate/**")
    assert page.url.startswith(tenant_url(ing, "/").replace("ing.localhost", "localhost"))
    page.locator("#demo-email").fill("ana.demo@example.com")
    page.locator("form.auth-form button[type=submit]").first.click()

    page.wait_for_url(idea)
    accept_terms_and_vote(page)
    assert page.url == idea

    user = User.objects.get(email="ana.demo@example.com")
    with scope(tenant=ing):
        assert Consent.objects.filter(user=user, terms_version__version=1).exists()


@pytest.fixture
def fake_google(monkeypatch):
    fake = FakeOAuth().start()
    point_allauth_at(fake, monkeypatch)
    yield fake
    fake.stop()


def test_one_click_with_google_through_the_sign_in_host(ing, page, tenant_url, fake_google):
    idea = tenant_url(ing, "/try-voting/")
    page.goto(idea)
    page.locator("#vote-button").click()
    page.wait_for_url("**/accounts/login/**")

    page.locator("button[data-provider=google]").click()

    page.wait_for_url(idea)
    accept_terms_and_vote(page)
    hosts_seen = {p["redirect_uri"] for p in fake_google.seen("/google/authorize")}
    port = idea.split(":")[2].split("/")[0]
    assert hosts_seen == {f"http://localhost:{port}/accounts/google/login/callback/"}
    assert User.objects.get(email="ana@gmail.example").display_name == "Ana García"
