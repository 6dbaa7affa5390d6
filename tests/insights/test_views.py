"""The dashboard page: who sees it, empty states, filters with bad input, and
a number of queries that does not grow with the ideas."""

import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from insights import services as insight_services
from tests.conftest import host_of

# The rewards and jury tests' world (made through the services).
from tests.insights.rewards_world import *  # noqa: F403

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


# --- Filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-45", "Enter a valid date."),
        ("start=yesterday&end=", "Enter a valid date."),
        ("start=2026-03-10&end=2026-03-01", "The end of the period comes before its start."),
        ("start=2020-01-01&end=2026-01-01", "Choose a period of at most 366 days."),
        ("round=not-a-round", "Select a valid choice."),
        ("compare=" + "0" * 8, "Select a valid choice."),
        ("start=9999-12-31", "Choose a date between 2000 and 2100."),
        ("start=2026-01-01&end=0001-01-01", "Choose a date between 2000 and 2100."),
    ],
)
def test_bad_filters_are_refused_with_a_message(ing, genios, owner, client_for, query, message):
    response = client_for(ing, owner).get(f"{GENIOS}?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "Some filters could not be used" in response.text
    assert "Top ideas" in response.text  # the page still shows its default period


def test_a_null_character_in_a_filter_is_a_clean_400(ing, genios, owner, client_for):
    assert client_for(ing, owner).get(f"{GENIOS}?start=%00").status_code == 400


def test_comparing_needs_two_different_rounds(ing, genios, owner, client_for, in_scope):
    with in_scope(tenant=ing):
        first, second = [str(r.public_id) for r in genios.rounds.order_by("index")[:2]]
    client = client_for(ing, owner)
    response = client.get(f"{GENIOS}?compare={second}")
    assert response.status_code == 400
    assert "Choose a round first, then one to compare it with." in response.text
    response = client.get(f"{GENIOS}?round={first}&compare={first}")
    assert response.status_code == 400
    assert "Choose two different rounds." in response.text
    response = client.get(f"{GENIOS}?round={first}&compare={second}")
    assert response.status_code == 200
    assert "Two rounds side by side" in response.text


def test_a_round_filter_shows_that_rounds_days(ing, genios, owner, client_for, in_scope):
    with in_scope(tenant=ing):
        first = genios.rounds.get(index=1)
    response = client_for(ing, owner).get(f"{GENIOS}?round={first.public_id}")
    assert response.status_code == 200
    start = first.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Madrid"))
    assert response.context["selection"].start_day == start.date()
    assert (response.context["selection"].end_day - start.date()).days == 6


def test_the_brand_dashboard_has_no_round_filter(ing, genios, owner, client_for):
    response = client_for(ing, owner).get(f"{BRAND}?round=anything&start=2026-01-01")
    assert response.status_code == 200
    assert 'name="round"' not in response.text


# --- One idea's sources ------------------------------------------------------------------

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def idea_sources_url(idea) -> str:
    return f"{GENIOS}ideas/{idea.public_id}/"


def test_an_ideas_sources_count_its_visits(ing, genios, owner, make_idea, client_for):
    idea = make_idea(title="Idea A")
    for n, source in enumerate(["facebook", "facebook", "whatsapp"], start=1):
        visitor = Client(HTTP_HOST=host_of(ing), REMOTE_ADDR=f"10.0.0.{n}", HTTP_USER_AGENT=DESKTOP)
        assert visitor.get(f"/ideas/{idea.public_id}/?src={source}").status_code == 200
    insight_services.visits_drain()
    with scope(tenant=ing):
        insight_services.figures_refresh(tenant=ing, day=timezone.localdate(timezone=MADRID))
    response = client_for(ing, owner).get(idea_sources_url(idea))
    assert response.status_code == 200
    rows = [(row["label"], row["visits"]) for row, _bar in response.context["sources"]]
    assert rows == [("Facebook", 2), ("WhatsApp", 1)]


def test_an_ideas_sources_before_any_visit(ing, genios, owner, make_idea, client_for):
    idea = make_idea(title="Idea A")
    response = client_for(ing, owner).get(idea_sources_url(idea))
    assert response.status_code == 200
    assert "No visit to this idea counted yet." in response.text


def test_an_ideas_sources_are_the_teams_only(
    ing, genios, make_idea, participant, stranger, decathlon, juror, client_for
):
    url = idea_sources_url(make_idea(title="Idea A"))
    assert client_for(ing, participant).get(url).status_code == 404
    assert client_for(decathlon, stranger).get(url).status_code == 404
    assert client_for(ing, juror).get(url).status_code == 403
    assert client_for(ing).get(url).status_code == 302


def test_an_idea_of_another_challenge_is_404(
    ing, genios, owner, make_challenge, make_idea, client_for
):
    other = make_challenge(slug="otro-reto", title="Otro reto")
    idea = make_idea(title="Idea B", campaign=other)
    assert client_for(ing, owner).get(idea_sources_url(idea)).status_code == 404
