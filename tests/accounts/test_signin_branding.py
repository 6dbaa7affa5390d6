"""The sign-in host (the platform's) wears the brand being signed in to: its
colours, its name and the language of the page the person came from."""

import pytest
from django.conf import settings

from tenants.branding import palette

pytestmark = pytest.mark.django_db

ING = "http://ing.localhost"
DECATHLON = "http://decathlon.localhost"


def _demo_form(browser, origin, language=None):
    host = origin.removeprefix("http://")
    client = browser.client(host)
    if language is None:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    else:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = browser.follow(browser.request("POST", f"{origin}/accounts/dummy/login/", {"next": "/"}))
    assert page.url.startswith("http://localhost/accounts/dummy/authenticate/"), page.url
    return page


def test_the_demo_provider_page_speaks_the_brands_language_in_its_colours(ing, browser_on):
    page = _demo_form(browser_on, ING)
    assert '<html lang="es">' in page.text
    assert "Acceso de demostración" in page.text
    assert "Estás iniciando sesión en ING Direct" in page.text
    assert "--brand: #ff6200;" in page.text
    assert f"--brand-ink: {palette('#ff6200')['ink']};" in page.text
    assert '<span class="brand-name">ING Direct</span>' in page.text


def test_the_language_chosen_on_the_brands_site_goes_along(ing, browser_on):
    page = _demo_form(browser_on, ING, language="fr")
    assert '<html lang="fr">' in page.text
    assert "Vous vous connectez à ING Direct" in page.text


def test_another_brand_gets_its_own_look(ing, decathlon, browser_on):
    decathlon.primary_colour = "#0082c3"
    decathlon.save(update_fields=["primary_colour"])
    page = _demo_form(browser_on, DECATHLON)
    assert '<html lang="fr">' in page.text
    assert f"--brand: {palette('#0082c3')['fill']};" in page.text
    assert "ING" not in page.text
    assert "#ff6200" not in page.text.split("--accent-base")[0]  # ING's orange as a brand


def test_the_platform_pages_outside_a_sign_in_keep_the_platforms_look(ing, client_for):
    body = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "--brand-base: #1f4fd1;" in body
    assert "ING Direct" not in body
