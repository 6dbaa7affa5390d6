"""Higher apps add links to the profile page without accounts importing them."""

import pytest

from accounts import extensions

pytestmark = pytest.mark.django_db


def test_the_profile_leads_to_my_ideas_and_my_prizes(ing, participant, client_for):
    response = client_for(ing, participant).get("/me/")
    assert response.status_code == 200
    assert 'href="/ideas/mine/"' in response.text
    assert 'href="/me/payouts/"' in response.text
    assert "Mis ideas" in response.text  # ING speaks Spanish
    assert "Mis premios" in response.text


def test_a_link_is_registered_once():
    before = extensions.profile_links()
    extensions.register_profile_link(before[0].url_name, "again")
    assert extensions.profile_links() == before
