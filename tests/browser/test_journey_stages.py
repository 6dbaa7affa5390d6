"""The brand's owner moves an idea to "selected" from the console's list (ticks
it, chooses the stage, confirms) and its author, in another browser, finds the
news under the bell, the badge on the idea and the idea in "What became of the
ideas" on the challenge page."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from tests.campaigns.conftest import this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    url = tenant_url(tenant)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url},
            {"name": "django_language", "value": "en", "url": url},
        ]
    )


def test_the_owner_selects_an_idea_and_its_author_is_told(
    ing, owner, participant, browser, page, client_for, tenant_url
):
    with scope(tenant=ing):
        genios = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        genios = campaign_services.campaign_publish(campaign=genios, actor=owner)
        account_services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
        idea = idea_services.idea_submit(
            campaign=genios,
            author=participant,
            title="Redondea tus compras",
            body="Cada compra se redondea al euro y la diferencia se ahorra.",
        )
        idea_services.idea_submit(
            campaign=genios, author=participant, title="Otra idea", body="Ahorra cada semana."
        )

    _sign_in(page, client_for, ing, owner, tenant_url)
    page.goto(tenant_url(ing, "/console/moderation/?status=published"))
    page.get_by_label("Select “Redondea tus compras”").check()
    bar = page.get_by_role("group", name="What became of the selected ideas")
    bar.get_by_label("Stage", exact=True).select_option("selected")
    bar.get_by_role("button", name="Set the stage…").click()
    expect(page.get_by_role("heading", name="Move 1 idea to “Selected”?")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("1 idea moved to Selected.")).to_be_visible()
    assert page.url == tenant_url(ing, "/console/moderation/?status=published")
    page.get_by_role("link", name="Redondea tus compras").click()
    expect(page.locator(".stage-panel .stage-badge")).to_have_text("Selected")

    author = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    try:
        phone = author.new_page()
        _sign_in(phone, client_for, ing, participant, tenant_url)
        phone.goto(tenant_url(ing, "/"))
        expect(phone.locator("#notifications-bell .bell-count")).to_have_text("1")
        phone.locator("#notifications-bell").click()
        notice = phone.get_by_role("link", name="“Redondea tus compras” moved on: Selected.")
        expect(notice).to_be_visible()
        notice.click()
        phone.wait_for_url(tenant_url(ing, f"/ideas/{idea.public_id}/"))
        expect(phone.locator(".idea-stage .stage-badge")).to_have_text("Selected")
        phone.goto(tenant_url(ing, "/challenges/genios-del-ahorro/"))
        section = phone.get_by_role("region", name="What became of the ideas")
        expect(section.get_by_role("link", name="Redondea tus compras")).to_be_visible()
        expect(section.get_by_role("link", name="Otra idea")).to_have_count(0)
    finally:
        author.close()
