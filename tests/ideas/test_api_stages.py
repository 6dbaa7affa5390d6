"""The API of what became of the ideas: the stage read publicly on ideas; the
stage, labels and owner changed by the brand's owners and administrators, one
idea or many (all or nothing), in the house's error format; in the schema."""

import pytest
from django_scopes import scope

from ideas import services
from ideas.models import Idea, IdeaLabel, Label

pytestmark = pytest.mark.django_db

API = "/api/v1"
S = Idea.Stage


def test_anyone_reads_the_stage_on_ideas(ing, owner, genios, submit, client_for):
    idea = submit()
    with scope(tenant=ing):
        services.idea_stage_set(idea=idea, actor=owner, stage=S.DECLINED, note="Ya existe.")
        services.ideas_label_add(ideas=[idea], actor=owner, name="Secreto")
    one = client_for(ing).get(f"{API}/ideas/{idea.public_id}").json()
    assert (one["stage"], one["stage_note"]) == ("declined", "Ya existe.")
    listed = client_for(ing).get(f"{API}/challenges/{genios.slug}/ideas").json()["results"]
    assert listed[0]["stage"] == "declined"
    assert "Secreto" not in str(one) and "owner" not in one


def test_the_team_reads_and_owners_change_an_idea_s_stage_labels_and_owner(
    ing, owner, admin, moderator, submit, client_for
):
    idea = submit()
    base = f"{API}/console/ideas/{idea.public_id}"
    api = client_for(ing, admin)
    moved = api.post(f"{base}/stage", {"stage": "selected"}, content_type="application/json")
    assert moved.status_code == 200
    body = moved.json()
    assert body["stage"] == "selected"
    assert body["next_stages"] == ["in_development", "declined", "under_review"]
    assert body["history"][0] | {"created_at": None} == {
        "created_at": None,
        "actor": admin.public_name,
        "from_stage": "none",
        "to_stage": "selected",
        "note": "",
    }
    labelled = api.post(
        f"{base}/labels", {"name": "Ahorro", "colour": "green"}, content_type="application/json"
    ).json()
    [label] = labelled["labels"]
    assert (label["name"], label["colour"]) == ("Ahorro", "green")
    owned = api.put(
        f"{base}/owner", {"owner": str(moderator.public_id)}, content_type="application/json"
    ).json()
    assert owned["owner"] == {"id": str(moderator.public_id), "name": moderator.public_name}
    seen = client_for(ing, moderator).get(f"{base}/triage").json()
    assert (seen["stage"], seen["labels"][0]["name"]) == ("selected", "Ahorro")
    removed = api.delete(f"{base}/labels/{label['id']}")
    assert removed.status_code == 200 and removed.json()["labels"] == []
    labels = api.get(f"{API}/console/labels").json()["results"]
    assert [x["name"] for x in labels] == ["Ahorro"]
    assert api.delete(f"{API}/console/labels/{label['id']}").status_code == 204


def test_personas_on_the_write_endpoints(
    ing, owner, moderator, juror, pat, stranger, submit, client_for
):
    idea = submit()
    base = f"{API}/console/ideas/{idea.public_id}"
    expected = {moderator: 403, juror: 403, pat: 404, stranger: 404, None: 403}
    for person, status in expected.items():
        api = client_for(ing, person)
        for url, data in [
            (f"{base}/stage", {"stage": "selected"}),
            (f"{base}/labels", {"name": "Ahorro"}),
            (f"{API}/console/labels", {"name": "Ahorro"}),
            (
                f"{API}/console/ideas/bulk",
                {"ideas": [str(idea.public_id)], "change": "stage", "stage": "selected"},
            ),
        ]:
            response = api.post(url, data, content_type="application/json")
            assert response.status_code == status, (person, url, response.content)
    with scope(tenant=ing):
        assert Idea.objects.get(pk=idea.pk).stage == S.NONE
        assert not Label.objects.exists()
    # Another brand's idea is not found, whoever asks.
    assert (
        client_for(ing, owner).get(f"{API}/console/ideas/{stranger.public_id}/triage").status_code
        == 404
    )


def test_bad_input_is_a_clear_400(ing, owner, submit, client_for):
    idea = submit(title="Redondea tus compras")
    api = client_for(ing, owner)
    base = f"{API}/console/ideas/{idea.public_id}"
    for data, field in [
        ({"stage": "shipped"}, "stage"),
        ({"stage": "launched"}, "stage"),
        ({"stage": "declined"}, "note"),
    ]:
        response = api.post(f"{base}/stage", data, content_type="application/json")
        assert response.status_code == 400, data
        assert field in response.json()["error"]["fields"], data
    refused = api.post(f"{base}/stage", {"stage": "launched"}, content_type="application/json")
    assert refused.json()["error"]["code"] == "stage_not_allowed"
    owner_refused = api.put(
        f"{base}/owner", {"owner": str(idea.public_id)}, content_type="application/json"
    )
    assert owner_refused.status_code == 400
    assert api.post(f"{base}/stage", "not json", content_type="application/json").status_code == 400


def test_bulk_changes_all_the_ideas_or_none(ing, owner, submit, client_for):
    ideas = [submit(title=f"Idea número {n}") for n in range(3)]
    api = client_for(ing, owner)
    url = f"{API}/console/ideas/bulk"
    ids = [str(i.public_id) for i in ideas]
    done = api.post(
        url,
        {"ideas": ids[:1], "change": "stage", "stage": "selected"},
        content_type="application/json",
    )
    assert done.json() == {"changed": ids[:1], "unchanged": []}
    refused = api.post(
        url,
        {"ideas": ids, "change": "stage", "stage": "in_development"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    with scope(tenant=ing):
        stages = list(Idea.objects.order_by("pk").values_list("stage", flat=True))
    assert stages == [S.SELECTED, S.NONE, S.NONE]
    listed = api.get(f"{API}/console/moderation/ideas?status=published&stage=selected").json()
    assert [i["id"] for i in listed["results"]] == ids[:1]
    missing = api.post(
        url,
        {"ideas": [*ids, str(owner.public_id)], "change": "owner", "owner": None},
        content_type="application/json",
    )
    assert missing.status_code == 404
    with scope(tenant=ing):
        label = services.label_create(tenant=ing, actor=owner, name="Ahorro")
    labelled = api.post(
        url,
        {"ideas": ids, "change": "label", "label": str(label.public_id)},
        content_type="application/json",
    )
    assert sorted(labelled.json()["changed"]) == sorted(ids)
    with scope(tenant=ing):
        assert IdeaLabel.objects.count() == 3


def test_the_schema_documents_the_stage_endpoints(ing, client_for):
    schema = client_for(ing).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/console/ideas/{public_id}/stage",
        "/api/v1/console/ideas/{public_id}/labels",
        "/api/v1/console/ideas/{public_id}/owner",
        "/api/v1/console/ideas/bulk",
        "/api/v1/console/labels",
    ):
        assert path in schema
    assert "under_review" in schema and "stage_note" in schema
