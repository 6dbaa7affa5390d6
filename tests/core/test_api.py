"""The API's shared behaviour: error shape, authentication, schema."""

import pytest
from django_scopes import scope

from accounts import services as account_services

pytestmark = pytest.mark.django_db


def test_malformed_json_is_a_400_json_error(ing, participant, client_for):
    response = client_for(ing, participant).patch(
        "/api/v1/me", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"]
    assert error["fields"] == {}


def test_invalid_field_names_the_field(ing, participant, client_for):
    response = client_for(ing, participant).patch(
        "/api/v1/me", data={"language": "klingon"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "language" in response.json()["error"]["fields"]


def test_me_updates_the_profile(ing, participant, client_for):
    response = client_for(ing, participant).patch(
        "/api/v1/me",
        data={"display_name": "Pat R.", "language": "fr"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Pat R."
    participant.refresh_from_db()
    assert participant.language == "fr"


def test_me_needs_sign_in(ing, client_for):
    response = client_for(ing).get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication(ing, owner, client_for):
    with scope(tenant=ing):
        key = account_services.api_token_issue(user=owner, tenant=ing)
    response = client_for(ing).get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["role"] == "owner"


def test_unknown_api_path_is_a_json_404(ing, client_for):
    response = client_for(ing).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_schema_and_docs(ing, client_for):
    client = client_for(ing)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/me" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200


def test_field_errors_name_every_field_and_raise_once():
    from core.errors import DomainError, FieldErrors

    errors = FieldErrors()
    errors.raise_if_any(DomainError)  # nothing gathered: nothing raised
    errors.add("title", "Too short.")
    errors.add("title", "Has a link.")
    errors.add("body", "Empty.")
    with pytest.raises(DomainError) as caught:
        errors.raise_if_any(DomainError)
    assert caught.value.message == "Too short."
    assert caught.value.fields == {"title": ["Too short.", "Has a link."], "body": ["Empty."]}
