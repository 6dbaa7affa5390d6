"""The dashboard page: who sees it, empty states, filters with bad input, and
a number of queries that does not grow with the ideas."""

import pytest

pytestmark = pytest.mark.django_db

BRAND = "/console/insights/"
GENIOS = "/console/challenges/genios-del-ahorro/insights/"


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("admin", 200), ("moderator", 200), ("juror", 403)]
)
def test_the_team_sees_the_dashboards(ing, genios, persona, status, request, client_for):
    client = client_for(ing, request.getfixturevalue(persona))
    for url in (BRAND, GENIOS):
        response = client.get(url)
        assert response.status_code == status
    if status == 200:
        assert "Dashboard: Genios del Ahorro" in response.text


def test_outsiders_get_404_and_visitors_sign_in(ing, genios, participant, stranger, client_for):
    for url in (BRAND, GENIOS):
        assert client_for(ing, participant).get(url).status_code == 404
        assert client_for(ing, stranger).get(url).status_code == 404
        response = client_for(ing).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_brands_challenge_is_404_in_its_own_console(
    genios, decathlon, stranger, client_for
):
    client = client_for(decathlon, stranger)
    assert client.get(GENIOS).status_code == 404
    assert client.get(BRAND).status_code == 200
    assert "Genios del Ahorro" not in client.get(BRAND).text


def test_a_challenge_without_ideas_shows_empty_panels(ing, genios, owner, client_for):
    page = client_for(ing, owner).get(GENIOS).text
    assert "No votes in this period yet" in page
    assert "Nobody has taken part in this period yet." in page
    assert "No round has reached its jury yet." in page
    assert "Show the figures as a table" in page
