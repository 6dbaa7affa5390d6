"""The bell, the notifications page and marking read, with every persona."""

import pytest
from django_scopes import scope

from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

IDEA = {"idea_title": "Redondea tus compras", "url": "/ideas/1/"}


def _notify(tenant, user, n=1, **context):
    return [
        services.notify(
            recipient=user,
            event="idea.approved",
            tenant=tenant,
            context={**IDEA, "idea_title": f"Idea {i}", **context},
        )
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count_on_every_page(ing, participant, client_for):
    _notify(ing, participant, 3)
    page = client_for(ing, participant).get("/").text
    assert 'id="notifications-bell"' in page
    assert '<span class="bell-count" aria-hidden="true">3</span>' in page


def test_no_bell_for_visitors(ing, client_for):
    assert 'id="notifications-bell"' not in client_for(ing).get("/").text


def test_the_page_lists_my_notifications_in_my_language(ing, participant, client_for):
    _notify(ing, participant)
    response = client_for(ing, participant).get("/notifications/")
    assert response.status_code == 200
    assert "Tu idea «Idea 0» está publicada" in response.text


def test_the_page_has_an_empty_state(ing, participant, client_for):
    response = client_for(ing, participant).get("/notifications/")
    assert 'class="empty-state"' in response.text


def test_the_page_is_paginated_in_constant_queries(
    ing, participant, client_for, django_assert_max_num_queries
):
    _notify(ing, participant, 25)
    client = client_for(ing, participant)
    with django_assert_max_num_queries(12):
        first = client.get("/notifications/")
    assert first.text.count('class="notification ') == 20
    second = client.get("/notifications/?page=2")
    assert second.text.count('class="notification ') == 5


def test_visitor_is_sent_to_sign_in(ing, client_for):
    response = client_for(ing).get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_mark_read_with_htmx_swaps_the_item_and_the_bell(ing, participant, client_for):
    [notification, _other] = _notify(ing, participant, 2)
    response = client_for(ing, participant).post(
        f"/notifications/{notification.public_id}/read/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="notification-{notification.public_id}"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert '<span class="bell-count" aria-hidden="true">1</span>' in response.text
    notification.refresh_from_db()
    assert notification.is_read


def test_mark_read_without_javascript_redirects_back(ing, participant, client_for):
    [notification] = _notify(ing, participant)
    response = client_for(ing, participant).post(f"/notifications/{notification.public_id}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_a_next_that_is_not_a_path_goes_back_to_the_inbox(ing, participant, client_for):
    [notification] = _notify(ing, participant)
    client = client_for(ing, participant)
    for where in ("inbox", "a b", "https://evil.example/"):
        response = client.post(f"/notifications/{notification.public_id}/read/", {"next": where})
        assert response.status_code == 302
        assert response["Location"] == "/notifications/"


def test_mark_all_read(ing, participant, client_for):
    _notify(ing, participant, 3)
    client = client_for(ing, participant)
    response = client.post("/notifications/read-all/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="notification-list"' in response.text
    with scope(tenant=ing):
        assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert 'class="bell-count"' not in client.get("/").text


def test_opening_a_notification_marks_it_read_and_follows_its_link(ing, participant, client_for):
    [notification] = _notify(ing, participant)
    response = client_for(ing, participant).get(f"/notifications/{notification.public_id}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/ideas/1/"
    notification.refresh_from_db()
    assert notification.is_read


def test_an_outside_link_is_not_followed(ing, participant, client_for):
    [notification] = _notify(ing, participant, url="https://evil.example/")
    response = client_for(ing, participant).get(f"/notifications/{notification.public_id}/open/")
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize("action", ["read/", "open/"])
def test_someone_elses_notification_is_404(ing, participant, make_user, client_for, action):
    [notification] = _notify(ing, participant)
    other = make_user("other@example.com")
    method = "post" if action == "read/" else "get"
    response = getattr(client_for(ing, other), method)(
        f"/notifications/{notification.public_id}/{action}"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["read/", "open/"])
def test_other_tenants_user_gets_404(ing, decathlon, participant, stranger, client_for, action):
    [notification] = _notify(ing, participant)
    method = "post" if action == "read/" else "get"
    # The stranger (Decathlon's owner), on ING's host and on their own.
    for tenant in (ing, decathlon):
        response = getattr(client_for(tenant, stranger), method)(
            f"/notifications/{notification.public_id}/{action}"
        )
        assert response.status_code == 404
    # Even its own recipient cannot reach it through another tenant's host.
    response = getattr(client_for(decathlon, participant), method)(
        f"/notifications/{notification.public_id}/{action}"
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_other_tenants_notifications_are_not_listed(ing, decathlon, participant, client_for):
    _notify(decathlon, participant)
    page = client_for(ing, participant).get("/notifications/").text
    assert 'class="empty-state"' in page
