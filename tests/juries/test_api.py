"""The jury's API: assignments and scores for jurors, a round's scores,
aggregate and decision; personas, other tenants and other challenges' jurors
get 404; bad input is a 4xx JSON error and writes nothing."""

import pytest
from django_scopes import scope

from accounts.models import Membership
from juries.models import Assignment, Decision, JuryMember, Score

pytestmark = pytest.mark.django_db


def api(client_for, tenant, user=None):
    return client_for(tenant, user)


def test_a_juror_lists_their_assignments(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    body = api(client_for, ing, chair).get("/api/v1/jury/assignments").json()
    rows = body["results"]
    assert [r["idea"]["title"] for r in rows] == ["Idea A", "Idea B", "Idea C"]
    assert rows[0]["round"]["id"] == str(result.round.public_id)
    assert rows[0]["state"] == "pending"
    assert rows[0]["scored"] == 0
    # Ideas are known by their shortlist id, never their own public id.
    assert str(ideas[0].public_id) not in str(body)
    filtered = (
        api(client_for, ing, chair).get("/api/v1/jury/assignments", {"state": "submitted"}).json()
    )
    assert filtered["results"] == []


def test_a_juror_reads_scores_and_submits_through_the_api(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    client = api(client_for, ing, chair)
    url = f"/api/v1/jury/assignments/{assignment.public_id}"
    detail = client.get(url).json()
    criteria = [c["id"] for c in detail["criteria"]]
    assert [c["weight"] for c in detail["criteria"]] == [40, 40, 20]
    assert detail["idea"]["body"] == ideas[0].body

    saved = client.patch(
        url + "/scores",
        {"scores": {criteria[0]: 8, criteria[1]: 6}, "note": "Solid"},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["scores"] == {criteria[0]: 8, criteria[1]: 6}
    assert saved.json()["note"] == "Solid"

    missing = client.post(url + "/submit", {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "scores_missing"
    assert list(missing.json()["error"]["fields"]) == [criteria[2]]

    done = client.post(
        url + "/submit", {"scores": {criteria[2]: 9}}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["state"] == "submitted"


@pytest.mark.parametrize(
    "payload",
    [
        {"scores": {"CRITERION": 11}},
        {"scores": {"CRITERION": "high"}},
        {"scores": {"00000000-0000-0000-0000-000000000000": 5}},
        {"note": "x" * 5001},
        {"scores": "all tens"},
    ],
)
def test_bad_scores_are_a_4xx_and_write_nothing(client_for, ing, scored_round, chair, payload):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    criterion = str(result.criteria()[0].public_id)
    if isinstance(payload.get("scores"), dict):
        payload = {
            "scores": {k.replace("CRITERION", criterion): v for k, v in payload["scores"].items()}
        }
    response = api(client_for, ing, chair).patch(
        f"/api/v1/jury/assignments/{assignment.public_id}/scores",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    with scope(tenant=ing):
        assert not Score.objects.exists()


def test_a_recusal_through_the_api_needs_a_reason(client_for, ing, scored_round, chair):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    client = api(client_for, ing, chair)
    url = f"/api/v1/jury/assignments/{assignment.public_id}/recuse"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    done = client.post(url, {"reason": "Former colleague"}, content_type="application/json")
    assert done.json()["state"] == "recused"
    assert done.json()["recusal_reason"] == "Former colleague"


def all_paths(result, juror):
    assignment = result.assignments(juror)[0]
    base = f"/api/v1/jury/assignments/{assignment.public_id}"
    round_base = f"/api/v1/jury/rounds/{result.round.public_id}"
    return [
        ("get", base),
        ("patch", base + "/scores"),
        ("post", base + "/submit"),
        ("post", base + "/recuse"),
        ("get", round_base + "/scores"),
        ("get", round_base + "/aggregate"),
        ("get", round_base + "/decision"),
        ("post", round_base + "/decision"),
    ]


@pytest.mark.parametrize("persona", ["participant", "stranger", "moderator"])
def test_people_outside_the_jury_get_404(request, client_for, ing, scored_round, chair, persona):
    result, _ideas = scored_round
    client = api(client_for, ing, request.getfixturevalue(persona))
    for method, path in all_paths(result, chair):
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_signed_out_callers_are_refused(client_for, ing, scored_round, chair):
    result, _ideas = scored_round
    client = api(client_for, ing)
    for method, path in all_paths(result, chair):
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code in (401, 403), path


def test_jurors_of_another_tenant_or_challenge_get_404(
    client_for, ing, decathlon, scored_round, chair, make_member, make_challenge, seat
):
    result, _ideas = scored_round
    foreign = make_member(decathlon, Membership.Role.JUROR, "juror@decathlon.example")
    other = make_challenge(slug="otro-reto", title="Otro reto")
    neighbour = make_member(ing, Membership.Role.JUROR, "otro@ing.example")
    seat(other, neighbour, JuryMember.Role.CHAIR)
    for client in (
        api(client_for, ing, foreign),
        api(client_for, decathlon, foreign),
        api(client_for, ing, neighbour),
    ):
        for method, path in all_paths(result, chair):
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code == 404, path
        assert client.get("/api/v1/jury/assignments").json().get("results", []) == []


def test_round_scores_wait_until_the_readers_own_are_in(
    client_for, ing, scored_round, chair, jorge, score
):
    result, ideas = scored_round
    score(result.assignment(jorge, ideas[0]), jorge, [7, 7, 7])
    client = api(client_for, ing, chair)
    url = f"/api/v1/jury/rounds/{result.round.public_id}/scores"
    hidden = client.get(url)
    assert hidden.status_code == 403
    assert hidden.json()["error"]["code"] == "scores_hidden"
    for idea in ideas:
        score(result.assignment(chair, idea), chair, [5, 5, 5])
    rows = client.get(url).json()["results"]
    assert {(r["juror_name"], r["idea_title"]) for r in rows} >= {("Jorge", "Idea A")}
    assert all("note" not in r for r in rows)


def test_an_administrator_reads_the_aggregate(client_for, ing, owner, all_scored):
    result, _ideas = all_scored
    body = (
        api(client_for, ing, owner)
        .get(f"/api/v1/jury/rounds/{result.round.public_id}/aggregate")
        .json()
    )
    assert [row["title"] for row in body["aggregate"]["ideas"]] == ["Idea B", "Idea C", "Idea A"]
    assert body["aggregate"]["ideas"][0]["aggregate"] == pytest.approx(80)


def test_the_chair_decides_through_the_api(client_for, ing, all_scored, chair, jorge):
    result, (a, _b, _c) = all_scored
    url = f"/api/v1/jury/rounds/{result.round.public_id}/decision"
    assert api(client_for, ing, chair).get(url).json() == {"decision": None}
    refused = api(client_for, ing, jorge).post(
        url, {"action": "confirm"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_chair"
    with scope(tenant=ing):
        entry = result.shortlist.entries.get(idea=a)
    client = api(client_for, ing, chair)
    no_reason = client.post(
        url,
        {"action": "override", "winners": [str(entry.public_id)]},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    decided = client.post(
        url,
        {"action": "override", "winners": [str(entry.public_id)], "reason": "Bolder"},
        content_type="application/json",
    )
    assert decided.status_code == 200
    body = decided.json()["decision"]
    assert body["kind"] == "overridden"
    assert body["winners"] == [{"rank": 1, "idea": {"id": str(entry.public_id), "title": "Idea A"}}]
    with scope(tenant=ing):
        assert Decision.objects.count() == 1
        assert Assignment.objects.filter(state="pending").count() == 0
    frozen = client.get(f"/api/v1/jury/rounds/{result.round.public_id}/aggregate").json()
    assert frozen["aggregate"]["proposed"] == body["proposed"]


def test_the_api_is_in_the_schema(client_for, ing):
    schema = client_for(ing).get("/api/schema/").content.decode()
    assert "/api/v1/jury/assignments/{public_id}/scores" in schema
