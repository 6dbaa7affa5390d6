"""The voting API with every persona: vote and withdraw, a round's ranking, my
votes, and the console's review and disqualification."""

import datetime as dt

import pytest
from django_scopes import scope

from voting import services
from voting.models import Vote

from .conftest import fresh


def api(client, method, path, data=None, **extra):
    call = getattr(client, method)
    if data is None:
        return call(path, **extra)
    return call(path, data=data, content_type="application/json", **extra)


def vote_path(idea):
    return f"/api/v1/ideas/{idea.public_id}/vote"


def test_voting_answers_201_then_200_already_voted(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter())
    first = api(client, "post", vote_path(idea))
    assert first.status_code == 201
    assert first.json() == {
        "idea": str(idea.public_id),
        "voted": True,
        "changed": True,
        "status": "counted",
        "vote_count": 1,
        "round_vote_count": 1,  # the round opened through the cycle, counters with it
        "votes_left": None,
    }
    again = api(client, "post", vote_path(idea))
    assert again.status_code == 200
    assert again.json()["changed"] is False and again.json()["vote_count"] == 1


def test_withdrawing_by_delete_is_idempotent(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter())
    api(client, "post", vote_path(idea))
    gone = api(client, "delete", vote_path(idea))
    assert gone.status_code == 200
    assert gone.json()["changed"] is True and gone.json()["voted"] is False
    assert gone.json()["vote_count"] == 0
    nothing = api(client, "delete", vote_path(idea))
    assert nothing.status_code == 200 and nothing.json()["changed"] is False


def test_a_token_is_enough_to_vote(idea, make_voter, client_for):
    voter = make_voter()
    with scope(tenant=idea.tenant):
        from accounts import services as account_services

        token = account_services.api_token_issue(user=voter, tenant=idea.tenant)
    key = getattr(token, "key", token)
    response = client_for(idea.tenant).post(vote_path(idea), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 201
    assert fresh(idea).vote_count == 1


def test_signed_out_people_get_401_and_nothing_counts(idea, client_for):
    for method in ("post", "delete"):
        response = api(client_for(idea.tenant), method, vote_path(idea))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
    assert fresh(idea).vote_count == 0


def test_refusals_are_4xx_with_a_code(idea, author, make_voter, client_for, settings):
    own = api(client_for(idea.tenant, author), "post", vote_path(idea))
    assert own.status_code == 400 and own.json()["error"]["code"] == "own_idea"
    terms = api(client_for(idea.tenant, make_voter(terms=False)), "post", vote_path(idea))
    assert terms.status_code == 403 and terms.json()["error"]["code"] == "terms_not_accepted"
    settings.VOTING_RATE_LIMITS = {"person_per_minute": 0}
    fast = api(client_for(idea.tenant, make_voter()), "post", vote_path(idea))
    assert fast.status_code == 429 and fast.json()["error"]["code"] == "rate_limited"
    assert 0 < int(fast["Retry-After"]) <= 60  # the minute's window ends then
    assert fresh(idea).vote_count == 0


def test_hidden_totals_are_null_in_the_api(make_campaign, submit, make_voter, client_for):
    secret = make_campaign(slug="secreto", show_vote_counts=False)
    idea = submit(campaign=secret)
    body = api(client_for(idea.tenant, make_voter()), "post", vote_path(idea)).json()
    assert body["changed"] is True and body["vote_count"] is None
    assert fresh(idea).vote_count == 1


def test_another_tenants_people_get_404(idea, decathlon, stranger, client_for, make_voter):
    assert api(client_for(decathlon, stranger), "post", vote_path(idea)).status_code == 404
    missing = "/api/v1/ideas/00000000-0000-4000-8000-000000000000/vote"
    assert api(client_for(idea.tenant, make_voter()), "post", missing).status_code == 404


def _round(campaign, index=1):
    with scope(tenant=campaign.tenant):
        return campaign.rounds.get(index=index)


def test_a_rounds_ranking_live_then_frozen(genios, idea, submit, make_voter, cast, client_for):
    other = submit(title="Otra idea")
    cast(other, make_voter())
    cast(other, make_voter())
    cast(idea, make_voter())
    round_ = _round(genios)
    path = f"/api/v1/rounds/{round_.public_id}/ranking"
    live = client_for(genios.tenant).get(path).json()
    assert live["frozen"] is False and live["total_votes"] == 3
    assert [(r["title"], r["rank"], r["votes"]) for r in live["results"]] == [
        ("Otra idea", 1, 2),
        ("Redondea tus compras", 2, 1),
    ]
    with scope(tenant=genios.tenant):
        services.ranking_freeze(round=round_, now=round_.voting_ends_at + dt.timedelta(seconds=1))
    frozen = client_for(genios.tenant).get(f"{path}?limit=1").json()
    assert frozen["frozen"] is True and frozen["frozen_at"]
    assert len(frozen["results"]) == 1
    bad = client_for(genios.tenant).get(f"{path}?limit=lots")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"limit": ["A number."]}


def test_a_hidden_live_ranking_is_for_the_team_only(
    make_campaign, submit, make_voter, cast, client_for, owner, moderator, juror
):
    secret = make_campaign(slug="secreto", show_vote_counts=False)
    cast(submit(campaign=secret), make_voter())
    path = f"/api/v1/rounds/{_round(secret).public_id}/ranking"
    refused = client_for(secret.tenant, make_voter()).get(path)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "totals_hidden"
    assert client_for(secret.tenant).get(path).status_code == 403
    assert client_for(secret.tenant, juror).get(path).status_code == 403
    for member in (owner, moderator):
        assert client_for(secret.tenant, member).get(path).json()["total_votes"] == 1


def test_the_ranking_of_another_tenants_round_is_404(genios, decathlon, stranger, client_for):
    path = f"/api/v1/rounds/{_round(genios).public_id}/ranking"
    assert client_for(decathlon, stranger).get(path).status_code == 404


def test_my_votes_are_mine_only(idea, submit, make_voter, cast, client_for):
    me, someone = make_voter(), make_voter()
    other = submit(title="Otra idea")
    cast(idea, me)
    cast(other, me)
    cast(idea, someone)
    body = client_for(idea.tenant, me).get("/api/v1/me/votes").json()
    assert [v["title"] for v in body["results"]] == ["Otra idea", "Redondea tus compras"]
    assert {v["status"] for v in body["results"]} == {"counted"} and body["next"] is None
    assert client_for(idea.tenant).get("/api/v1/me/votes").status_code in (401, 403)


def test_my_votes_in_another_tenant_are_empty(idea, make_voter, cast, decathlon, client_for):
    me = make_voter()
    cast(idea, me)
    assert client_for(decathlon, me).get("/api/v1/me/votes").json()["results"] == []


# --- The console -------------------------------------------------------------------------


@pytest.fixture
def quarantined(idea, make_voter, cast):
    """Three votes from throwaway addresses on fresh accounts: quarantined."""
    for n in range(3):
        voter = make_voter(age=dt.timedelta(minutes=1), email=f"farm{n}@mailinator.com")
        assert cast(idea, voter, user_agent="Bot").status == "quarantined"
    with scope(tenant=idea.tenant):
        return list(Vote.objects.filter(idea=idea).order_by("pk"))


def test_moderators_list_and_decide_on_votes(idea, quarantined, moderator, client_for):
    client = client_for(idea.tenant, moderator)
    listed = client.get("/api/v1/console/votes").json()["results"]
    assert len(listed) == 3
    codes = {s["code"] for s in listed[0]["evidence"]["signals"]}
    assert codes == {"fresh_account", "disposable_email"}
    decided = api(
        client,
        "post",
        "/api/v1/console/votes/decisions",
        {"votes": [str(v.public_id) for v in quarantined[:2]], "action": "accept"},
    )
    assert decided.status_code == 200 and len(decided.json()["done"]) == 2
    assert fresh(idea).vote_count == 2
    no_reason = api(
        client,
        "post",
        "/api/v1/console/votes/decisions",
        {"votes": [str(quarantined[2].public_id)], "action": "void"},
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    bad = api(client, "post", "/api/v1/console/votes/decisions", {"votes": [], "action": "x"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"votes", "action"}


def test_the_review_api_refuses_participants_jurors_and_other_tenants(
    idea, quarantined, make_voter, juror, stranger, decathlon, client_for
):
    body = {"votes": [str(quarantined[0].public_id)], "action": "accept"}
    assert client_for(idea.tenant, make_voter()).get("/api/v1/console/votes").status_code == 404
    assert client_for(idea.tenant, juror).get("/api/v1/console/votes").status_code == 403
    assert client_for(idea.tenant).get("/api/v1/console/votes").status_code == 403
    other = client_for(decathlon, stranger)
    assert other.get("/api/v1/console/votes").json()["results"] == []
    assert api(other, "post", "/api/v1/console/votes/decisions", body).status_code == 404
    assert fresh(idea).vote_count == 0


def test_moderators_disqualify_and_reinstate_by_api(idea, moderator, participant, client_for):
    path = f"/api/v1/console/ideas/{idea.public_id}/disqualification"
    client = client_for(idea.tenant, moderator)
    assert api(client, "post", path, {}).status_code == 400
    assert api(client, "post", path, {"reason": "Votos comprados"}).status_code == 201
    with scope(tenant=idea.tenant):
        from voting import selectors

        assert selectors.is_disqualified(idea)
    assert api(client, "delete", path).json() == {"disqualified": False, "changed": True}
    outsider = client_for(idea.tenant, participant)
    assert api(outsider, "post", path, {"reason": "x"}).status_code == 404
