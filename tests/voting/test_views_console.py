"""The console's votes pages with every persona: the review (evidence, bulk
decisions), rankings, disqualification."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEntry
from voting.models import Vote

from .conftest import fresh

REVIEW = "/console/votes/"
RANKINGS = "/console/votes/rankings/"


@pytest.fixture
def farm(idea, make_voter, cast):
    """25 fresh accounts from one network on one idea within a minute."""
    start = timezone.now()
    for i in range(25):
        voter = make_voter(age=dt.timedelta(minutes=4))
        cast(idea, voter, ip=f"203.0.113.{i + 1}", user_agent="Mozilla/5.0 Bot",
             now=start + dt.timedelta(seconds=2 * i))  # fmt: skip
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea, status="quarantined").count() == 25
        return list(Vote.objects.filter(idea=idea).order_by("pk"))


def test_the_review_shows_each_vote_with_its_evidence(idea, farm, moderator, client_for):
    page = client_for(idea.tenant, moderator).get(REVIEW).text
    assert "25 votos esperan revisión" in page
    assert page.count('name="votes"') == 25
    assert "203.0.113.0/24" in page
    assert "Muchos votos para esta idea desde una misma red" in page
    assert "Cuenta reciente" in page
    assert "en example.com" in page
    # The biggest group links to its filter.
    assert f"idea={idea.public_id}&amp;network=203.0.113.0/24" in page


def test_accepting_the_selected_votes_counts_them(idea, farm, moderator, client_for):
    client = client_for(idea.tenant, moderator)
    response = client.post(
        REVIEW, {"votes": [str(v.public_id) for v in farm[:5]], "action": "accept", "reason": ""}
    )
    assert response.status_code == 302
    assert fresh(idea).vote_count == 5
    page = client.get(response.url).text
    assert "5 votos decididos." in page and "20 votos esperan revisión" in page


def test_voiding_every_vote_matching_a_filter_needs_a_reason(idea, farm, moderator, client_for):
    client = client_for(idea.tenant, moderator)
    url = f"{REVIEW}?network=203.0.113.0/24"
    refused = client.post(url, {"scope": "matching", "action": "void", "reason": ""})
    assert refused.status_code == 400
    assert "Indica por qué se anulan estos votos" in refused.text
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(status="void").count() == 0
    done = client.post(url, {"scope": "matching", "action": "void", "reason": "Granja de cuentas"})
    assert done.status_code == 302
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea, status="void").count() == 25
        entry = AuditEntry.objects.get(action="vote.void")
    assert entry.data["count"] == 25 and entry.reason == "Granja de cuentas"
    assert fresh(idea).vote_count == 0


def test_nothing_selected_is_said_and_nothing_changes(idea, farm, moderator, client_for):
    response = client_for(idea.tenant, moderator).post(REVIEW, {"action": "accept"})
    assert response.status_code == 400 and "Selecciona al menos un voto." in response.text
    assert fresh(idea).vote_count == 0


def test_the_review_runs_the_same_queries_for_25_and_75_votes(
    idea, farm, make_voter, cast, moderator, client_for, django_assert_max_num_queries
):
    client = client_for(idea.tenant, moderator)
    client.get(REVIEW)
    with django_assert_max_num_queries(40) as few:
        client.get(REVIEW)
    start = timezone.now()
    for i in range(50):
        cast(idea, make_voter(age=dt.timedelta(minutes=4)), ip=f"203.0.113.{i + 1}",
             user_agent="Mozilla/5.0 Bot", now=start + dt.timedelta(seconds=i))  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(REVIEW).text
    assert page.count('name="votes"') == 75


def test_the_review_is_for_moderators(idea, farm, juror, participant, client_for):
    assert client_for(idea.tenant, juror).get(REVIEW).status_code == 403
    assert client_for(idea.tenant, participant).get(REVIEW).status_code == 404
    visitor = client_for(idea.tenant).get(REVIEW)
    assert visitor.status_code == 302 and "/accounts/login/" in visitor.url
    post = client_for(idea.tenant, juror).post(
        REVIEW, {"votes": [str(farm[0].public_id)], "action": "accept"}
    )
    assert post.status_code == 403
    assert fresh(idea).vote_count == 0


def test_another_tenants_owner_sees_none_of_these_votes(
    idea, farm, decathlon, stranger, client_for
):
    client = client_for(decathlon, stranger)
    assert 'name="votes"' not in client.get(REVIEW).text
    client.post(REVIEW, {"votes": [str(farm[0].public_id)], "action": "accept"})
    assert fresh(idea).vote_count == 0
    with scope(tenant=idea.tenant):
        round_ = idea.campaign.rounds.get(index=1)
    assert client.get(f"{RANKINGS}{round_.public_id}/").status_code == 404
    disqualify = f"/console/votes/ideas/{idea.public_id}/disqualify/"
    assert client.post(disqualify, {"reason": "x"}).status_code == 404


def test_rankings_list_every_round_and_show_one_live(
    genios, idea, make_voter, cast, moderator, client_for
):
    cast(idea, make_voter())
    client = client_for(genios.tenant, moderator)
    page = client.get(RANKINGS).text
    assert "Semana 1" in page and "Gran final" in page and "En directo" in page
    with scope(tenant=genios.tenant):
        round_ = genios.rounds.get(index=1)
    ranking = client.get(f"{RANKINGS}{round_.public_id}/").text
    assert "Redondea tus compras" in ranking and "Clasificación en directo" in ranking
    # Voting is still open: no freezing from here.
    assert client.post(f"{RANKINGS}{round_.public_id}/").status_code == 302
    with scope(tenant=genios.tenant):
        from voting.models import RankingSnapshot

        assert not RankingSnapshot.objects.exists()


def test_disqualifying_from_the_console_takes_the_idea_out(
    genios, idea, make_voter, cast, moderator, client_for
):
    cast(idea, make_voter())
    client = client_for(genios.tenant, moderator)
    url = f"/console/votes/ideas/{idea.public_id}/disqualify/"
    assert "Redondea tus compras" in client.get(url).text
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Compra de votos", "next": "/console/votes/rankings/"})
    assert response.status_code == 302 and response.url == "/console/votes/rankings/"
    page = client.get(RANKINGS).text
    assert "Ideas descalificadas" in page and "Compra de votos" in page
    with scope(tenant=genios.tenant):
        round_ = genios.rounds.get(index=1)
    assert "Redondea tus compras" not in client.get(f"{RANKINGS}{round_.public_id}/").text
    response = client.post(f"/console/votes/ideas/{idea.public_id}/reinstate/", {"next": "x y"})
    assert response.status_code == 302 and response.url == RANKINGS  # not a path: not followed
    assert "Redondea tus compras" in client.get(f"{RANKINGS}{round_.public_id}/").text


def test_the_console_nav_offers_votes_to_moderators_only(idea, moderator, juror, client_for):
    assert f'href="{REVIEW}"' in client_for(idea.tenant, moderator).get("/console/").text
    assert client_for(idea.tenant, juror).get(REVIEW).status_code == 403
