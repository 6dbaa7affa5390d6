"""The challenge page on a phone (390 by 844): the ideas start within the first
two screens, the share links hold on one line (the native share sheet where
the browser has one), video cards carry a play mark, the focus stays on the
vote control after voting, and the brand's content says its language when
the interface speaks another.

With SCREENSHOTS=<folder> it also saves the page at 390 and 1366 px."""

import os

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from tests.campaigns.conftest import this_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = 844


@pytest.fixture
def genios_with_ideas(ing, owner, make_user):
    author = make_user("author@example.com", display_name="Lola")
    with scope(tenant=ing):
        campaign = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
        round_cycle.campaign_catch_up(campaign=campaign)
        account_services.consent_accept(tenant=ing, user=author, version=1, display_name="Lola")
        ideas = [
            idea_services.idea_submit(
                campaign=campaign,
                author=author,
                title=title,
                body="Un truco sencillo para ahorrar un poco cada semana sin darte cuenta.",
                **extra,
            )
            for title, extra in [
                ("Redondea tus compras", {}),
                ("Mi truco en vídeo", {"video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}),
                ("La hucha de las monedas de 2 €", {}),
            ]
        ]
    return campaign, ideas


def sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value,
          "url": tenant_url(tenant)}]
    )  # fmt: skip


def screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_the_challenge_page_on_a_phone_puts_the_ideas_first(
    ing, genios_with_ideas, phone, browser, make_user, client_for, tenant_url
):
    campaign, ideas = genios_with_ideas
    voter = make_user("voter@example.com", display_name="Vera")
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=voter, version=1, display_name="Vera")
    sign_in(phone, client_for, ing, voter, tenant_url)
    phone.goto(tenant_url(ing, f"/challenges/{campaign.slug}/"))
    screenshot(phone, "challenge-phone-390.png")

    first_card = phone.locator(".idea-card").first
    expect(first_card).to_be_attached()
    top = first_card.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert top < 2 * SCREEN, f"the first idea starts at {top}px"
    # The rules are one tap away, folded.
    rules = phone.locator("details#rules")
    expect(rules).not_to_have_attribute("open", "")
    expect(rules.locator("summary")).to_be_visible()

    # The share links on one line (no native share sheet in this browser).
    share = phone.locator(".challenge-share .share-links")
    expect(share).to_be_visible()
    link_tops = share.locator("a, button").evaluate_all(
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(set(link_tops)) == 1, link_tops
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # A play mark on the video card, said to screen readers.
    video_card = phone.locator(".idea-card", has_text="Mi truco en vídeo")
    expect(video_card.locator(".play-mark")).to_be_visible()

    # Voting keeps the focus on the control (now "withdraw").
    button = phone.locator(f"#vote-control-{ideas[0].public_id}")
    button.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(f"#vote-{ideas[0].public_id} .vote-done")).to_be_visible()
    focused = phone.evaluate("document.activeElement && document.activeElement.id")
    assert focused == f"vote-control-{ideas[0].public_id}"

    desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = desktop.new_page()
    page.goto(tenant_url(ing, f"/challenges/{campaign.slug}/"))
    expect(page.locator(".idea-card").first).to_be_visible()
    screenshot(page, "challenge-desktop-1366.png")
    desktop.close()


def test_content_in_another_language_than_the_interface_says_so(
    ing, genios_with_ideas, phone, tenant_url
):
    campaign, ideas = genios_with_ideas
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": tenant_url(ing)}])
    phone.goto(tenant_url(ing, f"/challenges/{campaign.slug}/"))
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").get_attribute("lang") == "es"
    card_title = phone.locator(f"#idea-{ideas[0].public_id}-title")
    assert card_title.get_attribute("lang") == "es"
    phone.goto(tenant_url(ing, ideas[0].get_absolute_url()))
    assert phone.locator("h1").get_attribute("lang") == "es"
    assert phone.locator(".idea-body").get_attribute("lang") == "es"
    expect(phone.locator("section.join-in")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "idea-phone-390.png")
    phone.set_viewport_size({"width": 1366, "height": 900})
    phone.reload()
    screenshot(phone, "idea-desktop-1366.png")
