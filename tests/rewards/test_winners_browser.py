"""The winners page in a real browser, on a phone and on a desktop: the
winning idea's card fits the screen and the share card's tag is there.

With SCREENSHOTS=<folder> it also saves the page at 390 and 1366 px."""

import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_winners_page_on_a_phone_and_a_desktop(announced, genios, browser, tenant_url, width):
    context = browser.new_context(
        locale="en-US", viewport={"width": width, "height": 844 if width == 390 else 900},
        is_mobile=width == 390, has_touch=width == 390,
    )  # fmt: skip
    page = context.new_page()
    page.goto(tenant_url(genios.tenant, f"/challenges/{genios.slug}/winners/"))
    card = page.locator(".winner-card", has_text="Idea A")
    expect(card).to_be_visible()
    expect(card.locator(".winner-prize")).to_contain_text("500")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"winners-{width}.png"), full_page=True)
    card_image = page.goto(image)
    assert card_image.headers["content-type"] == "image/jpeg"
    if folder:
        with open(os.path.join(folder, "winners-card.jpg"), "wb") as out:
            out.write(card_image.body())
    context.close()
