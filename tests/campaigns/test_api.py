"""The challenges API: public reads, the console's create / update / publish."""

import pytest
from django_scopes import scope

from campaigns.models import Campaign
from tests.campaigns.conftest import local_midnight, next_monday

pytestmark = pytest.mark.django_db


def payload(**extra):
    return {
        "title": "Genios del Ahorro",
        "pitch": "Tus trucos de ahorro",
        "starts_at": next_monday().isoformat(),
        "ends_at": next_monday(weeks=4).isoformat(),
        "text_max_chars": 500,
        "allow_video": True,
        "terms_text": "Bases.",
        "prizes": [
            {"round_kind": "weekly", "amount": "500.00", "currency": "EUR"},
            {"round_kind": "grand", "amount": "1500", "currency": "EUR"},
        ],
        "criteria": [
            {"name": "Originalidad", "weight": 40},
            {"name": "Utilidad", "weight": 40},
            {"name": "Claridad", "weight": 20},
        ],
        **extra,
    }


# --- Public reads -------------------------------------------------------------------------


def test_public_list_shows_published_challenges_only(
    ing, owner, open_genios, make_challenge, client_for
):
    make_challenge(ing, owner, title="Draft")
    response = client_for(ing).get("/api/v1/challenges")
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body["results"]] == ["genios-del-ahorro"]
    challenge = body["results"][0]
    assert challenge["phase"] == "open"
    assert challenge["current_round"] == 1
    assert challenge["submission_kinds"] == ["text", "image", "video"]
    assert {(p["round_kind"], p["amount"], p["currency"]) for p in challenge["prizes"]} == {
        ("weekly", "500.00", "EUR"),
        ("grand", "1500.00", "EUR"),
    }
    assert challenge["rules"][0].startswith("Comparte tu idea")  # the tenant's language


def test_public_detail_and_rounds(ing, open_genios, client_for):
    client = client_for(ing)
    detail = client.get("/api/v1/challenges/genios-del-ahorro", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["title"] == "Genios del Ahorro"
    assert "criteria" not in detail and "publish_problems" not in detail
    rounds = client.get("/api/v1/challenges/genios-del-ahorro/rounds").json()
    assert [(r["index"], r["kind"], r["state"]) for r in rounds] == [
        (1, "weekly", "open"),
        (2, "weekly", "scheduled"),
        (3, "weekly", "scheduled"),
        (4, "weekly", "scheduled"),
        (5, "grand", "open"),
    ]


def test_public_reads_hide_drafts_and_other_tenants(ing, genios, decathlon, client_for):
    assert client_for(ing).get("/api/v1/challenges/genios-del-ahorro").status_code == 404
    response = client_for(decathlon).get("/api/v1/challenges/genios-del-ahorro/rounds")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_public_list_runs_a_constant_number_of_queries(
    ing, owner, make_challenge, client_for, django_assert_max_num_queries
):
    def add(n, offset=0):
        for i in range(n):
            make_challenge(
                ing,
                owner,
                title=f"Challenge {offset + i}",
                publish=True,
                pitch="p",
                terms_text="t",
                starts_at=local_midnight(-1),
                ends_at=local_midnight(27),
                prizes=[{"round_kind": "weekly", "amount": "10", "currency": "EUR"}],
            )

    add(1)
    client = client_for(ing)
    with django_assert_max_num_queries(6) as few:
        client.get("/api/v1/challenges")
    add(15, offset=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/challenges").json()["results"]) == 16


# --- Console: create, update, publish ----------------------------------------------------


def test_owner_creates_updates_and_publishes(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post("/api/v1/console/challenges", payload(), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["publish_problems"] == {}
    assert [c["weight"] for c in body["criteria"]] == [40, 40, 20]
    assert len(body["rounds"]) == 5

    response = client.patch(
        "/api/v1/console/challenges/genios-del-ahorro",
        {"shortlist_size": 5, "themes": ["casa"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["shortlist_size"], response.json()["themes"]) == (5, ["casa"])

    response = client.post("/api/v1/console/challenges/genios-del-ahorro/publish")
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert client.get("/api/v1/console/challenges").json()["results"][0]["status"] == "scheduled"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": next_monday(weeks=-1).isoformat()}, "ends_at"),
        ({"prizes": [{"round_kind": "weekly", "amount": "-5", "currency": "EUR"}]}, "weekly_prize"),
        ({"prizes": [{"round_kind": "weekly", "amount": "5", "currency": "XYZ"}]}, "currency"),
        ({"cadence": "days", "cadence_days": 60}, "cadence_days"),
        ({"text_max_chars": "many"}, "text_max_chars"),
        ({"starts_at": "soon"}, "starts_at"),
    ],
)
def test_bad_input_is_a_4xx_with_the_field_named(ing, owner, client_for, changes, field):
    response = client_for(ing, owner).post(
        "/api/v1/console/challenges", payload(**changes), content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"], error
    assert error["message"]
    with scope(tenant=ing):
        assert not Campaign.objects.exists()


def test_a_used_slug_is_a_4xx(ing, owner, genios, client_for):
    response = client_for(ing, owner).post(
        "/api/v1/console/challenges",
        payload(slug="genios-del-ahorro"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["slug"] == ["Otro reto tuyo ya usa esta dirección."]


def test_publishing_an_incomplete_draft_says_what_is_missing(ing, owner, client_for):
    client = client_for(ing, owner)
    client.post(
        "/api/v1/console/challenges",
        {"title": "Bare"},
        content_type="application/json",
    )
    response = client.post("/api/v1/console/challenges/bare/publish")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"pitch", "terms_text"}


def test_console_api_personas(
    ing, genios, admin, moderator, juror, participant, stranger, client_for
):
    url = "/api/v1/console/challenges"
    publish = "/api/v1/console/challenges/genios-del-ahorro/publish"
    assert client_for(ing).get(url).status_code in (401, 403)
    assert client_for(ing, participant).get(url).status_code == 404
    assert client_for(ing, stranger).get(url).status_code == 404
    assert client_for(ing, juror).get(url).status_code == 403
    assert client_for(ing, moderator).get(url).status_code == 200
    assert client_for(ing, moderator).post(publish).status_code == 403
    assert (
        client_for(ing, moderator)
        .post(url, payload(slug="other"), content_type="application/json")
        .status_code
        == 403
    )
    assert client_for(ing, admin).post(publish).status_code == 200


def test_another_tenants_owner_cannot_reach_this_challenge(genios, decathlon, stranger, client_for):
    client = client_for(decathlon, stranger)
    assert client.get("/api/v1/console/challenges/genios-del-ahorro").status_code == 404
    assert client.post("/api/v1/console/challenges/genios-del-ahorro/publish").status_code == 404
    assert (
        client.patch(
            "/api/v1/console/challenges/genios-del-ahorro",
            {"title": "Mine"},
            content_type="application/json",
        ).status_code
        == 404
    )
