"""A visitor opens a brand's site in a real browser and switches language."""

import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_sees_the_brand_and_switches_to_french(ing, page, tenant_url):
    page.goto(tenant_url(ing, "/"))
    assert page.locator(".brand-name").inner_text() == "ING Direct"
    # ING speaks Spanish by default, whatever the browser's language.
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Iniciar sesión").is_visible()
    header_colour = page.locator(".site-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_colour == "rgb(255, 98, 0)"  # ING's orange, from the tenant's settings
    assert_accessible(page)

    page.get_by_role("button", name="FR").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Se connecter").is_visible()
    assert page.url == tenant_url(ing, "/")


def test_unknown_tenant_host_shows_not_found(ing, page, live_server):
    port = live_server.url.rsplit(":", 1)[1]
    response = page.goto(f"http://nobody.localhost:{port}/")
    assert response.status == 404
    assert "ING" not in page.content()
