"""/api/v1/me with memberships and consents, and API tokens."""

import pytest
from django.test import Client
from django_scopes import scope

from accounts import services
from tests.conftest import force_login_on

pytestmark = pytest.mark.django_db


def test_me_lists_the_persons_memberships_and_consents_in_this_tenant_only(
    ing, decathlon, owner, client_for
):
    with scope(tenant=decathlon):
        services.consent_accept(tenant=decathlon, user=owner, version=1, display_name="Lucía")
    me = client_for(ing, owner).get("/api/v1/me").json()
    assert me["role"] == "owner"
    assert [(m["tenant"], m["role"]) for m in me["memberships"]] == [("ING Direct", "owner")]
    assert me["consents"] == []  # accepted at Decathlon: not ING's to know
    assert me["terms_accepted"] is False  # at ING
    assert me["profile"] is None
    at_decathlon = client_for(decathlon, owner).get("/api/v1/me").json()
    assert at_decathlon["memberships"] == []
    assert [(c["tenant"], c["version"]) for c in at_decathlon["consents"]] == [("Decathlon", 1)]


def test_a_token_is_created_for_the_signed_in_person_and_works(ing, participant, client_for):
    client = client_for(ing, participant, enforce_csrf_checks=False)
    response = client.post("/api/v1/me/token")
    assert response.status_code == 201
    token = response.json()["token"]
    api = Client(HTTP_HOST="ing.localhost", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me").json()["email"] == participant.email
    # A new token replaces the old one; revoking leaves none.
    second = client.post("/api/v1/me/token").json()["token"]
    assert api.get("/api/v1/me").status_code in (401, 403)
    assert client.delete("/api/v1/me/token").status_code == 204
    revoked = Client(HTTP_HOST="ing.localhost", HTTP_AUTHORIZATION=f"Token {second}")
    assert revoked.get("/api/v1/me").status_code in (401, 403)


def test_token_creation_needs_sign_in(ing, client_for):
    assert client_for(ing).post("/api/v1/me/token").status_code in (401, 403)


def test_token_creation_from_a_session_needs_csrf(ing, participant):
    client = Client(HTTP_HOST="ing.localhost", enforce_csrf_checks=True)
    force_login_on(client, participant, ing)
    assert client.post("/api/v1/me/token").status_code == 403


def test_export_and_delete_through_the_api(ing, participant, client_for):
    client = client_for(ing, participant)
    assert client.get("/api/v1/me/export?scope=platform").json()["scope"] == "platform"
    bad = client.post(
        "/api/v1/me/delete", {"mode": "remove", "confirm_email": "x@example.com"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert "confirm_email" in bad.json()["error"]["fields"]
    done = client.post(
        "/api/v1/me/delete", {"mode": "remove", "confirm_email": participant.email},
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 204


def test_console_people_api_personas(ing, owner, moderator, stranger, client_for):
    assert client_for(ing, owner).get("/api/v1/console/people").status_code == 200
    assert client_for(ing, moderator).get("/api/v1/console/people").status_code == 403
    assert client_for(ing, stranger).get("/api/v1/console/people").status_code == 404
