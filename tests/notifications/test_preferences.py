"""The preferences page."""

import pytest
from django_scopes import scope

from notifications.models import DeliveryMode, Preference

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_event_with_its_default(ing, participant, client_for):
    page = client_for(ing, participant).get("/notifications/preferences/").text
    assert 'name="event:comment.on_my_idea"' in page
    assert 'name="event:payout.paid"' not in page  # transactional: no choice offered
    assert '<option value="daily" selected>' in page


def test_saving_choices(ing, participant, client_for):
    response = client_for(ing, participant).post(
        "/notifications/preferences/",
        {"event:comment.on_my_idea": "weekly", "event:idea.approved": "off"},
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        chosen = dict(Preference.objects.values_list("event", "delivery"))
    assert chosen == {"comment.on_my_idea": "weekly", "idea.approved": "off"}


def test_a_forged_choice_is_a_clear_message_not_a_500(ing, participant, client_for):
    response = client_for(ing, participant).post(
        "/notifications/preferences/", {"event:idea.approved": "hourly"}
    )
    assert response.status_code == 200
    assert "Elige una de las opciones propuestas." in response.text
    with scope(tenant=ing):
        assert not Preference.objects.exists()


def test_a_forged_transactional_choice_is_ignored(ing, participant, client_for):
    client_for(ing, participant).post(
        "/notifications/preferences/", {"event:payout.paid": DeliveryMode.OFF}
    )
    with scope(tenant=ing):
        assert not Preference.objects.exists()


def test_visitor_is_sent_to_sign_in(ing, client_for):
    assert client_for(ing).get("/notifications/preferences/").status_code == 302
