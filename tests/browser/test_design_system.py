"""The design system in a real browser: axe finds nothing (WCAG 2.1 A/AA) on the
public pages, the sign-in host and the console in each demo brand's colours;
destructive actions are not primary; file pickers speak the page's language."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from tenants import services as tenant_services
from tenants.branding import palette
from tests.browser.axe import assert_accessible
from tests.campaigns.conftest import this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The three demo brands' primary and accent colours (seed_demo, demo_rewards).
BRAND_COLOURS = {
    "ing": ("#ff6200", "#525199"),
    "decathlon": ("#0082c3", "#7afe9f"),
    "auchan": ("#e2001a", "#1f7a3a"),
}
PUBLIC_PATHS = [
    "/",
    "/challenges/genios-del-ahorro/",
    "/accounts/login/",
    "/no-such-page/",
    "/offline/",
]


@pytest.fixture
def genios(ing, owner):
    with scope(tenant=ing):
        campaign = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        campaign_services.campaign_publish(campaign=campaign, actor=owner)
    return campaign


def _sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": tenant_url(tenant)}]
    )  # fmt: skip


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.parametrize("brand", list(BRAND_COLOURS))
def test_axe_finds_nothing_in_each_brands_colours(
    brand, ing, owner, genios, page, phone, client_for, tenant_url
):
    primary, accent = BRAND_COLOURS[brand]
    tenant_services.tenant_update(tenant=ing, primary_colour=primary, accent_colour=accent)

    for browser_page in (phone, page):
        for path in PUBLIC_PATHS:
            browser_page.goto(tenant_url(ing, path))
            assert_accessible(browser_page)

    # The sign-in host: the brand's colours (made readable), axe-clean.
    page.goto(tenant_url(ing, "/accounts/login/"))
    page.locator(".signin-demo").click()
    page.wait_for_url("**/accounts/dummy/authenticate/**")
    header = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header == _rgb(palette(primary)["fill"])
    expect(page.locator(".brand-name")).to_have_text("ING Direct")
    assert_accessible(page)

    _sign_in(page, client_for, ing, owner, tenant_url)
    for path in ("/console/", "/console/challenges/genios-del-ahorro/"):
        page.goto(tenant_url(ing, path))
        assert_accessible(page)


def test_closing_a_challenge_early_is_a_danger_button_not_the_primary(
    ing, owner, genios, page, client_for, tenant_url
):
    _sign_in(page, client_for, ing, owner, tenant_url)
    page.goto(tenant_url(ing, "/console/challenges/genios-del-ahorro/"))
    close = page.get_by_role("link", name="Cerrar antes de tiempo")
    expect(close).to_be_visible()
    style = close.evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    )
    assert style == ["rgb(255, 255, 255)", "rgb(179, 38, 30)"]  # outlined in the danger red


def test_a_file_picker_and_the_text_box_wear_the_design_system(
    ing, owner, participant, genios, phone, client_for, tenant_url
):
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
    _sign_in(phone, client_for, ing, participant, tenant_url)
    phone.goto(tenant_url(ing, "/challenges/genios-del-ahorro/ideas/new/"))

    # One picker per field: the camera's own input stays hidden behind its button.
    expect(phone.get_by_role("button", name="Hacer una foto")).to_be_visible()
    expect(phone.locator(".file-picker")).to_have_count(2)
    picker = phone.locator(".file-picker").filter(has=phone.get_by_label("Imagen"))
    expect(picker.locator(".file-picker-button")).to_have_text("Elegir un archivo")
    expect(picker.locator(".file-picker-name")).to_have_text(
        "Todavía no has elegido ningún archivo"
    )
    phone.get_by_label("Imagen").set_input_files(
        {"name": "ticket.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    expect(picker.locator(".file-picker-name")).to_have_text("ticket.png")

    textarea_font = phone.get_by_label("Tu idea").evaluate("el => getComputedStyle(el).fontFamily")
    assert "monospace" not in textarea_font
    height = phone.get_by_label("Título").evaluate("el => el.getBoundingClientRect().height")
    assert height >= 44  # a finger's target, not the browser's 20-px box
    assert_accessible(phone)
