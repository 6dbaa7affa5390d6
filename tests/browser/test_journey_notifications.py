"""A participant reads their notifications in a real browser: the bell's count,
the list, and marking read through htmx."""

import pytest
from playwright.sync_api import expect

from notifications import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": tenant_url(tenant),
            }
        ]
    )


def test_participant_marks_notifications_read(ing, make_user, page, client_for, tenant_url):
    sam = make_user("sam@example.com", display_name="Sam", language="en")
    for title in ("Round up", "Save daily"):
        services.notify(
            recipient=sam,
            event="idea.approved",
            tenant=ing,
            context={"idea_title": title, "url": "/"},
        )
    _sign_in(page, client_for, ing, sam, tenant_url)

    page.goto(tenant_url(ing, "/"))
    bell = page.locator("#notifications-bell")
    assert bell.locator(".bell-count").inner_text() == "2"
    bell.click()
    page.wait_for_url(tenant_url(ing, "/notifications/"))
    assert page.get_by_role("link", name="Your idea “Save daily” is published").is_visible()

    page.get_by_role("button", name="Mark read: Your idea “Save daily” is published").click()
    expect(page.locator(".bell-count")).to_have_text("1")
    expect(page.locator(".notification-unread")).to_have_count(1)
    assert page.url == tenant_url(ing, "/notifications/")  # no reload: htmx swapped it

    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".notification-unread")).to_have_count(0)
    expect(page.locator(".bell-count")).to_have_count(0)
