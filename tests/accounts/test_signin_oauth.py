"""The whole one-click journey of each provider, against local fakes of their
OAuth servers: the tenant's button → the sign-in host → the provider's authorize
page → the callback → token → profile → the handoff back to the tenant host."""

import html
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client, override_settings
from django_scopes import scope

from accounts import services
from accounts.models import User
from tests.accounts.conftest import META_REFRESH, TwoHostBrowser
from tests.conftest import force_login_on

pytestmark = pytest.mark.django_db

ING = "http://ing.localhost"
PROVIDERS = {
    # button path, what the fake calls it, the e-mail the fake gives
    "google": ("/accounts/google/login/", "google", "ana@gmail.example"),
    "facebook": ("/accounts/facebook/login/", "facebook", "marc@facebook.example"),
    "twitter_oauth2": ("/accounts/twitter_oauth2/login/", "x", "sam@x.example"),
    "openid_connect": ("/accounts/oidc/ing-sso/login/", "oidc", "lucia@ing.example"),
}


@pytest.fixture
def ing_sso(ing, owner, fake_oauth):
    """ING's own OpenID Connect provider (its staff directory)."""
    with scope(tenant=ing):
        return services.provider_credential_save(
            tenant=ing,
            provider="openid_connect",
            client_id="ing-directory",
            secret="ing-directory-secret",
            name="ING staff",
            server_url=f"{fake_oauth.url}/oidc",
            actor=owner,
        )


def continue_url(page) -> str:
    return html.unescape(META_REFRESH.search(page.text).group(1))


def sign_in(browser, provider, next_url="/me/", process="login", host=ING):
    button = PROVIDERS[provider][0]
    page = browser.request("POST", f"{host}{button}", {"next": next_url, "process": process})
    return browser.follow(page)


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_first_sign_in_creates_the_account_and_returns_to_the_page(
    provider, ing, ing_sso, fake_oauth, browser_on
):
    final = sign_in(browser_on, provider)

    assert final.status_code == 200, [p.url for p in browser_on.history]
    assert urlparse(final.url).path == "/me/"
    assert urlparse(final.url).netloc == "ing.localhost"
    email = PROVIDERS[provider][2]
    user = User.objects.get(email=email)
    assert browser_on.signed_in_user_id("ing.localhost") == str(user.pk)
    # The sign-in host keeps no session of its own.
    assert browser_on.signed_in_user_id("localhost") is None
    assert EmailAddress.objects.get(user=user, email=email).verified
    account = SocialAccount.objects.get(user=user)
    assert account.provider == ("ing-sso" if provider == "openid_connect" else provider)
    assert user.display_name  # from the provider's profile, no extra form

    fake = PROVIDERS[provider][1]
    authorize = fake_oauth.seen(
        {"google": "/google/authorize", "facebook": "/facebook/dialog/oauth",
         "x": "/x/authorize", "oidc": "/oidc/authorize"}[fake]
    )[0]  # fmt: skip
    # One redirect URI per provider, on the sign-in host, whatever the tenant.
    callback = (
        "http://localhost/accounts/oidc/ing-sso/login/callback/"
        if provider == "openid_connect"
        else f"http://localhost/accounts/{provider}/login/callback/"
    )
    assert authorize["redirect_uri"] == callback
    expected_client = "ing-directory" if provider == "openid_connect" else f"ruche-test-{provider}"
    assert authorize["client_id"] == expected_client


def test_a_providers_name_loses_direction_changing_characters(ing, fake_oauth, browser_on):
    fake_oauth.identity["google"]["name"] = "\u202eAna\u202c Garc\u2067ía\u2069"
    sign_in(browser_on, "google")
    assert User.objects.get(email="ana@gmail.example").display_name == "Ana García"


def test_a_brand_with_its_own_app_shows_its_own_consent_screen(
    ing, decathlon, owner, fake_oauth, browser_on
):
    with scope(tenant=ing):
        services.provider_credential_save(
            tenant=ing, provider="google", client_id="ing-google-app", secret="s3cret", actor=owner
        )
    assert sign_in(browser_on, "google").status_code == 200
    sign_in(TwoHostBrowser(), "google", host="http://decathlon.localhost")

    clients = [p["client_id"] for p in fake_oauth.seen("/google/authorize")]
    assert clients == ["ing-google-app", "ruche-test-google"]
    # The token exchange authenticated with ING's (decrypted) secret.
    assert fake_oauth.seen("/google/token")[0]["client_secret"] == "s3cret"


def test_the_person_cancels_at_the_provider(ing, fake_oauth, browser_on):
    fake_oauth.behaviour = "cancel"
    final = sign_in(browser_on, "google")

    assert urlparse(final.url).netloc == "ing.localhost"
    assert urlparse(final.url).path == "/accounts/login/"
    assert parse_qs(urlparse(final.url).query)["next"] == ["/me/"]
    assert "Sign-in was cancelled" in final.text
    assert not User.objects.exists()
    assert browser_on.signed_in_user_id("ing.localhost") is None


def test_a_forged_state_is_refused_on_the_sign_in_host(ing, fake_oauth, browser_on):
    page = browser_on.request("POST", f"{ING}/accounts/google/login/", {"next": "/"})
    page = browser_on.request("GET", continue_url(page))  # the sign-in host → the provider
    from_provider = browser_on.request("GET", page.location)  # the provider → the callback
    assert from_provider.status_code == 302
    callback = urlparse(from_provider.location)
    query = parse_qs(callback.query)
    forged = f"http://localhost{callback.path}?code={query['code'][0]}&state=forged"

    page = browser_on.request("GET", forged)

    assert page.status_code == 401
    assert not User.objects.exists()
    assert not fake_oauth.seen("/google/token")  # the code was never exchanged
    assert browser_on.signed_in_user_id("ing.localhost") is None


@pytest.mark.parametrize("provider", ["google", "facebook", "twitter_oauth2"])
def test_the_provider_is_down(provider, ing, fake_oauth, browser_on):
    fake_oauth.token_status = 503
    final = sign_in(browser_on, provider)

    assert urlparse(final.url).netloc == "ing.localhost"
    assert "We could not sign you in with this provider" in final.text
    assert not User.objects.exists()


def test_an_unreachable_company_provider_is_explained(ing, ing_sso, fake_oauth, browser_on):
    fake_oauth.stop()  # discovery fails before the person even leaves
    people = User.objects.count()
    final = sign_in(browser_on, "openid_connect")

    assert urlparse(final.url).netloc == "ing.localhost"
    assert "not answering right now" in final.text
    assert User.objects.count() == people


def test_an_address_already_used_signs_into_that_account(ing, make_user, fake_oauth, browser_on):
    ana = make_user("ana@gmail.example", display_name="Ana")
    final = sign_in(browser_on, "google")

    assert final.status_code == 200
    assert User.objects.count() == 1
    assert browser_on.signed_in_user_id("ing.localhost") == str(ana.pk)
    assert SocialAccount.objects.get(provider="google").user == ana


def test_an_address_the_provider_does_not_vouch_for_never_makes_a_second_account(
    ing, ing_sso, make_user, fake_oauth, browser_on
):
    lucia = make_user("lucia@ing.example", display_name="Lucía")
    people = User.objects.count()
    fake_oauth.identity["oidc"]["email_verified"] = False
    final = sign_in(browser_on, "openid_connect")

    assert User.objects.count() == people
    assert not SocialAccount.objects.exists()
    assert browser_on.signed_in_user_id("ing.localhost") is None
    assert final.status_code == 200  # "check your e-mail" on the sign-in host
    # allauth tells the address's owner instead of revealing the account here.
    assert [m.to for m in mail.outbox] == [[lucia.email]]


def test_linking_a_second_provider_to_the_same_account(ing, make_user, fake_oauth, browser_on):
    ana = make_user("ana@example.com", display_name="Ana")
    force_login_on(browser_on.client("ing.localhost"), ana, ing)
    fake_oauth.identity["facebook"]["email"] = "another@facebook.example"

    final = sign_in(browser_on, "facebook", next_url="/me/", process="connect")

    assert urlparse(final.url).path == "/me/"
    account = SocialAccount.objects.get(provider="facebook")
    assert account.user == ana
    assert User.objects.count() == 1


def test_a_refused_disposable_address_is_handed_back(ing, owner, fake_oauth, browser_on):
    with scope(tenant=ing):
        services.signin_policy_update(
            tenant=ing, refuse_disposable_emails=True, staff_email_domains="", actor=owner
        )
    fake_oauth.identity["google"]["email"] = "throwaway@mailinator.com"
    final = sign_in(browser_on, "google")

    assert "does not accept disposable e-mail addresses" in final.text, [
        (p.url, p.status_code) for p in browser_on.history
    ]
    assert not User.objects.filter(email="throwaway@mailinator.com").exists()


def test_the_demo_sign_in_runs_the_same_handoff(ing, browser_on):
    page = browser_on.request("POST", f"{ING}/accounts/dummy/login/", {"next": "/me/"})
    form_page = browser_on.follow(page)
    assert form_page.status_code == 200
    assert "Demo sign-in" in form_page.text
    assert "You are signing in to ING Direct" in form_page.text

    final = browser_on.follow(
        browser_on.request(
            "POST",
            form_page.url,
            {
                "id": "7",
                "email": "demo-1@example.com",
                "email_verified": "on",
                "first_name": "Demo person",
            },
        )
    )

    assert urlparse(final.url).path == "/me/"
    user = User.objects.get(email="demo-1@example.com")
    assert user.display_name == "Demo person"
    assert browser_on.signed_in_user_id("ing.localhost") == str(user.pk)


def test_a_handoff_token_works_once_and_on_its_tenant_only(ing, decathlon, fake_oauth, browser_on):
    sign_in(browser_on, "google")
    complete = next(p for p in browser_on.history if p.url.startswith(f"{ING}/signin/complete/"))
    query = urlparse(complete.url).query

    replay = TwoHostBrowser().request("GET", f"{ING}/signin/complete/?{query}")
    elsewhere = TwoHostBrowser().request(
        "GET", f"http://decathlon.localhost/signin/complete/?{query}"
    )

    assert replay.status_code == 400
    assert elsewhere.status_code == 400


def handoff_link(browser, next_url="/me/") -> str:
    """Run a Google sign-in up to the handoff link, and return the link unopened."""
    page = browser.request("POST", f"{ING}/accounts/google/login/", {"next": next_url})
    for _ in range(15):
        if page.status_code in (301, 302, 303):
            url = urljoin(page.url, page.location)
        else:
            url = continue_url(page)
        if url.startswith(f"{ING}/signin/complete/"):
            return url
        page = browser.request("GET", url)
    raise AssertionError([p.url for p in browser.history])


def test_the_sign_in_cookie_is_host_only_short_lived_and_hidden_from_scripts(
    ing, fake_oauth, browser_on
):
    browser_on.request("POST", f"{ING}/accounts/google/login/", {"next": "/"})
    cookie = browser_on.client("ing.localhost").cookies["ruche_signin"]

    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["domain"]
    assert 0 < int(cookie["max-age"]) <= 15 * 60
    # The links carry a digest of it, never the cookie itself.
    assert cookie.value not in handoff_link(browser_on)


def test_a_handoff_link_opened_in_another_browser_signs_nobody_in(ing, fake_oauth, browser_on):
    link = handoff_link(browser_on)  # Ana's sign-in, stopped before its last step
    victim = TwoHostBrowser()

    page = victim.request("GET", link)

    assert page.status_code == 400
    assert "opened in a different browser" in page.text
    assert "/accounts/login/?next=%2Fme%2F" in page.text  # start again
    assert victim.signed_in_user_id("ing.localhost") is None
    # A browser in the middle of its own sign-in is not fooled either.
    victim.request("POST", f"{ING}/accounts/facebook/login/", {"next": "/"})
    assert victim.request("GET", link).status_code == 400
    assert victim.signed_in_user_id("ing.localhost") is None
    # In its own language (ING speaks Spanish), never a 500.
    spanish = Client(HTTP_HOST="ing.localhost").get(link.removeprefix(ING))
    assert spanish.status_code == 400
    assert "Termina de iniciar sesión donde empezaste" in spanish.text

    # The browser that started it still finishes its sign-in.
    final = browser_on.follow(browser_on.request("GET", link))
    assert urlparse(final.url).path == "/me/"
    ana = User.objects.get(email="ana@gmail.example")
    assert browser_on.signed_in_user_id("ing.localhost") == str(ana.pk)


def test_a_handoff_link_works_once_in_its_own_browser(ing, fake_oauth, browser_on):
    link = handoff_link(browser_on)
    assert browser_on.request("GET", link).status_code == 302
    client = browser_on.client("ing.localhost")
    kept = {name: c.value for name, c in client.cookies.items() if name != "sessionid"}
    client.logout()  # signed out, the same browser still carries its sign-in cookie
    for name, value in kept.items():
        client.cookies[name] = value

    again = browser_on.request("GET", link)

    assert again.status_code == 400
    assert "This sign-in link has expired" in again.text
    assert browser_on.signed_in_user_id("ing.localhost") is None


def test_a_start_token_works_once(ing, fake_oauth, browser_on):
    page = browser_on.request("POST", f"{ING}/accounts/google/login/", {"next": "/"})
    first = TwoHostBrowser().request("GET", continue_url(page))
    second = TwoHostBrowser().request("GET", continue_url(page))
    assert first.status_code == 302
    assert second.status_code == 400


def test_a_get_on_a_button_asks_for_confirmation(ing, fake_oauth, client_for):
    response = client_for(ing).get("/accounts/google/login/?next=/me/")
    assert response.status_code == 200
    assert 'method="post"' in response.text
    assert not fake_oauth.requests


def test_an_open_redirect_is_not_possible(ing, fake_oauth, browser_on):
    final = sign_in(browser_on, "google", next_url="https://evil.example/")
    assert urlparse(final.url).netloc == "ing.localhost"
    assert urlparse(final.url).path == "/"


def test_unknown_provider_is_404(ing, client_for):
    assert client_for(ing).post("/accounts/oidc/decathlon-sso/login/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/google/login/token/",
        "/accounts/google/login/callback/",
        "/accounts/facebook/login/token/",
        "/accounts/twitter_oauth2/login/callback/",
    ],
)
def test_a_provider_nobody_configured_is_404(path, ing, client_for):
    with override_settings(SIGNIN_PLATFORM_APPS={}):
        assert client_for(ing).post(path).status_code == 404
        assert client_for(ing).get(path).status_code == 404
        assert client_for().post(path).status_code == 404  # the sign-in host
