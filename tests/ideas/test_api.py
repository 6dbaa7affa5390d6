"""The ideas API: list, search, retrieve, submit (multipart), edit, withdraw,
comment, flag, and the console's moderation — same rules, same errors."""

import pytest
from django_scopes import scope

from campaigns.models import Campaign
from ideas.models import Comment, Flag, Idea
from tests.ideas.conftest import PHP_AS_JPG, image_bytes, upload

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_list_search_and_pages(genios, submit, client_for, ing):
    for n in range(3):
        submit(title=f"Truco {n}", body="Ahorra en la compra")
    submit(title="Calefacción", body="Un grado menos")
    client = client_for(ing)
    first = client.get(f"{API}/challenges/genios-del-ahorro/ideas?page_size=2").json()
    assert [i["title"] for i in first["results"]] == ["Calefacción", "Truco 2"]
    second = client.get(first["next"].replace("http://ing.localhost", "")).json()
    assert [i["title"] for i in second["results"]] == ["Truco 1", "Truco 0"]
    assert second["next"] is None
    found = client.get(f"{API}/challenges/genios-del-ahorro/ideas?q=grados").json()["results"]
    assert [i["title"] for i in found] == ["Calefacción"]
    assert found[0]["author_name"] == "Pat" and "hold_reasons" not in found[0]


def test_the_list_runs_the_same_queries_for_3_and_30_ideas(
    genios, submit, client_for, ing, django_assert_max_num_queries
):
    for n in range(3):
        submit(title=f"Vacaciones {n}", body="Vacaciones baratas")
    client = client_for(ing)
    url = f"{API}/challenges/genios-del-ahorro/ideas?q=vacaciones&page_size=50"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(27):
        submit(title=f"Más vacaciones {n}", body="Vacaciones baratas")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["results"]) == 30


def test_retrieve_and_the_merged_redirect(genios, moderator, sam, submit, client_for, ing):
    from ideas import services

    keep, duplicate = submit(title="Uno"), submit(author=sam, title="Dos")
    client = client_for(ing)
    body = client.get(f"{API}/ideas/{keep.public_id}").json()
    assert body["id"] == str(keep.public_id) and body["url"].endswith(f"/ideas/{keep.public_id}/")
    with scope(tenant=ing):
        services.idea_merge(duplicate=duplicate, into=keep, actor=moderator)
    response = client.get(f"{API}/ideas/{duplicate.public_id}")
    assert response.status_code == 301 and response["Location"].endswith(str(keep.public_id))


def test_submit_multipart_with_an_image(genios, pat, client_for, ing):
    client = client_for(ing, pat)
    response = client.post(
        f"{API}/challenges/genios-del-ahorro/ideas",
        {"title": "Foto", "body": "Texto", "image": upload(image_bytes())},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending" and body["processing"] and body["kind"] == "image"
    assert body["media"]["status"] == "processing"


def test_submit_refuses_bad_uploads_with_the_error_format(genios, pat, client_for, ing):
    client = client_for(ing, pat)
    response = client.post(
        f"{API}/challenges/genios-del-ahorro/ideas",
        {"title": "Foto", "body": "Texto", "image": upload(PHP_AS_JPG, "x.jpg")},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "idea_invalid" and "not an image" in error["fields"]["image"][0]
    with scope(tenant=ing):
        assert Idea.objects.count() == 0


def test_submit_needs_sign_in_terms_and_the_right_tenant(
    genios, participant, stranger, decathlon, client_for, ing
):
    url = f"{API}/challenges/genios-del-ahorro/ideas"
    data = {"title": "Hola", "body": "Texto"}
    assert client_for(ing).post(url, data).status_code in (401, 403)
    response = client_for(ing, participant).post(url, data)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "terms_not_accepted"
    assert client_for(decathlon, stranger).post(url, data).status_code == 404


def test_edit_and_withdraw(genios, pat, sam, submit, client_for, ing):
    idea = submit()
    url = f"{API}/ideas/{idea.public_id}"
    assert (
        client_for(ing, sam)
        .patch(url, {"title": "Mía"}, content_type="application/json")
        .status_code
        == 404
    )
    response = client_for(ing, pat).patch(
        url, {"title": "Nuevo título"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Nuevo título"
    bad = client_for(ing, pat).patch(url, {"title": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "title" in bad.json()["error"]["fields"]
    assert client_for(ing, sam).post(f"{url}/withdraw").status_code == 404
    response = client_for(ing, pat).post(f"{url}/withdraw")
    assert response.json()["state"] == "withdrawn"


def test_comments_and_flags(genios, pat, sam, submit, client_for, ing):
    idea = submit()
    client = client_for(ing, sam)
    url = f"{API}/ideas/{idea.public_id}/comments"
    response = client.post(url, {"body": "¡Genial!"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["state"] == "published"
    parent = response.json()["id"]
    reply = client_for(ing, pat).post(
        url, {"body": "Gracias", "parent": parent}, content_type="application/json"
    )
    assert reply.json()["parent"] == parent
    listed = client_for(ing).get(url).json()["results"]
    assert [c["body"] for c in listed] == ["¡Genial!", "Gracias"]
    assert client.post(url, {"body": ""}, content_type="application/json").status_code == 400
    flag = client.post(
        f"{API}/ideas/{idea.public_id}/flags", {"reason": "spam"}, content_type="application/json"
    )
    assert flag.status_code == 201
    again = client.post(
        f"{API}/ideas/{idea.public_id}/flags", {"reason": "spam"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_flagged"
    assert (
        client.post(
            f"{API}/comments/{reply.json()['id']}/flags",
            {"reason": "nope"},
            content_type="application/json",
        ).status_code
        == 400
    )
    with scope(tenant=ing):
        assert Flag.objects.count() == 1 and Comment.objects.count() == 2


def test_moderation_endpoints(ing, make_campaign, moderator, juror, pat, stranger, decathlon,
                              submit, client_for):  # fmt: skip
    pre = make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)
    first, second = submit(campaign=pre, title="Uno"), submit(campaign=pre, title="Dos")
    url = f"{API}/console/moderation/ideas"
    assert client_for(ing, pat).get(url).status_code == 404
    assert client_for(ing, juror).get(url).status_code == 403
    assert client_for(decathlon, stranger).get(url).json()["results"] == []
    client = client_for(ing, moderator)
    queue = client.get(url).json()["results"]
    assert [i["title"] for i in queue] == ["Uno", "Dos"]
    assert queue[0]["hold_reasons"] == ["pre_moderation"]
    decide = f"{url}/decisions"
    refused = client.post(
        decide, {"ids": [str(first.public_id)], "action": "hide"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["reason"]
    done = client.post(
        decide,
        {"ids": [str(first.public_id), str(second.public_id)], "action": "approve"},
        content_type="application/json",
    ).json()
    assert len(done["done"]) == 2
    history = client.get(f"{API}/console/ideas/{first.public_id}/history").json()["results"]
    assert [e["action"] for e in history][:2] == ["idea.approve", "idea.submit"]
    merged = client.post(
        f"{API}/console/ideas/{second.public_id}/merge",
        {"into": str(first.public_id)},
        content_type="application/json",
    )
    assert merged.status_code == 200
    other = client_for(decathlon, stranger).post(
        f"{API}/console/ideas/{first.public_id}/merge",
        {"into": str(second.public_id)},
        content_type="application/json",
    )
    assert other.status_code in (403, 404)


def test_similar_ideas_endpoint(genios, submit, client_for, ing):
    submit(title="Redondea tus compras", body="Al euro")
    found = (
        client_for(ing)
        .get(f"{API}/challenges/genios-del-ahorro/ideas/similar?title=redondeo")
        .json()["results"]
    )
    assert [i["title"] for i in found] == ["Redondea tus compras"]


def test_the_schema_lists_the_ideas_endpoints(client_for, ing):
    schema = client_for(ing).get("/api/schema/").content.decode()
    assert "/api/v1/challenges/{slug}/ideas" in schema
    assert "/api/v1/console/moderation/ideas/decisions" in schema
