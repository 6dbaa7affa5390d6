"""On a phone: a participant submits an image idea, watches it being processed
by the real media task (a Celery worker), sees it published, and the page
carries the share card's tags."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas.models import Idea
from tests.campaigns.conftest import this_monday
from tests.ideas.conftest import exif_with_location_and_rotation, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value,
             "url": tenant_url(tenant)},
            {"name": "django_language", "value": "en", "url": tenant_url(tenant)},
        ]
    )  # fmt: skip


def test_a_participant_shares_an_image_idea_from_a_phone(
    ing, owner, participant, phone, client_for, tenant_url, celery_worker
):
    with scope(tenant=ing):
        genios = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        campaign_services.campaign_publish(campaign=genios, actor=owner)
        account_services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
    pat = participant
    _sign_in(phone, client_for, ing, pat, tenant_url)
    phone.goto(tenant_url(ing, "/challenges/genios-del-ahorro/"))
    phone.locator("#gallery").get_by_role("link", name="Share your idea").click()
    phone.wait_for_url(tenant_url(ing, "/challenges/genios-del-ahorro/ideas/new/"))

    phone.get_by_label("Title").fill("Foto del ticket de la compra")
    phone.get_by_label("Your idea").fill("Fotografía cada ticket y compara precios cada semana.")
    phone.get_by_label("Image").set_input_files(
        {
            "name": "IMG_0001.jpg",
            "mimeType": "image/jpeg",
            "buffer": image_bytes(size=(1600, 1200), exif=exif_with_location_and_rotation()),
        }
    )
    phone.get_by_role("button", name="Submit my idea").click()

    phone.wait_for_url("**/ideas/*/")
    # The worker renders the image; the page polls (htmx) and reloads once ready.
    expect(phone.locator("#idea-status")).to_contain_text("Published", timeout=45_000)
    expect(phone.get_by_role("heading", name="Foto del ticket de la compra")).to_be_visible()
    expect(phone.locator("img.idea-image")).to_have_attribute("width", "1200")

    og_image = phone.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.startswith("http://ing.localhost:") and og_image.endswith("share_card.jpg")
    assert phone.locator('meta[property="og:image:width"]').get_attribute("content") == "1200"
    assert phone.locator('meta[property="og:image:height"]').get_attribute("content") == "630"
    assert phone.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image"
    )
    canonical = phone.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == phone.url
    expect(phone.get_by_role("link", name="WhatsApp")).to_be_visible()
    expect(phone.get_by_role("button", name="Copy the link")).to_be_visible()

    # The layout fits the phone: nothing wider than the screen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    with scope(tenant=ing):
        idea = Idea.objects.get()
    assert idea.state == Idea.State.PUBLISHED and idea.author_id == pat.pk
