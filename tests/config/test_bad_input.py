"""Ordinary bad input is a 4xx that says why, never a 500: NUL bytes in query
strings, paths and form fields; JSON nested too deep or too large.
(tests/config/test_fuzz.py sends the same, and more, to every route.)"""

import json

import pytest
from django_scopes import scope

from accounts.models import TermsVersion

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "contains a character that cannot be used"


@pytest.fixture
def english(client_for):
    def make(tenant=None, user=None, **defaults):
        client = client_for(tenant, user, **defaults)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.mark.parametrize(
    "url",
    [
        "/console/votes/?network=%00",
        "/console/votes/?campaign=a%00b",
        "/console/people/?q=%00",
        "/console/votes/?status=counted&network=10.0.0.0%2F24%00",
    ],
)
def test_a_nul_byte_in_a_console_filter_is_a_400_page_that_says_why(url, ing, owner, english):
    response = english(ing, owner).get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert "<html" in response.text  # the page, in the brand's layout


@pytest.mark.parametrize(
    "url", ["/api/v1/console/votes?network=%00", "/api/v1/console/votes?campaign=%00"]
)
def test_a_nul_byte_in_an_api_filter_is_a_400_json_error(url, ing, owner, english):
    response = english(ing, owner).get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_characters"
    assert NUL_MESSAGE in error["message"]


def test_a_nul_byte_in_a_path_is_a_400(ing, participant, english):
    response = english(ing, participant).get("/ideas/join/abc%00def/")
    assert response.status_code == 400


def test_a_nul_byte_in_a_form_field_is_a_400_and_nothing_is_written(ing, owner, english):
    response = english(ing, owner).post(
        "/console/terms/", {"terms": "Our terms\x00", "privacy_notice": "Our notice"}
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    with scope(tenant=ing):
        assert not TermsVersion.objects.exists()


def test_a_nul_byte_in_an_htmx_form_is_said_in_the_page_alerts(ing, owner, english):
    response = english(ing, owner).post(
        "/console/terms/", {"terms": "\x00"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#alerts"
    assert NUL_MESSAGE in response.text
    assert "<html" not in response.text


def test_the_same_form_without_nul_bytes_works(ing, owner, english):
    response = english(ing, owner).post(
        "/console/terms/", {"terms": "Our terms", "privacy_notice": "Our notice"}
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        assert TermsVersion.objects.get().terms == "Our terms"


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_nested_1000_deep_is_a_400_on_every_json_endpoint(ing, owner, participant, english):
    """Every API operation that takes a body, as two signed-in people: the
    parser refuses the body, in the API's error format (an operation that reads
    no body, or refuses the person first, answers as it always does)."""
    schema = english(ing, owner).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = [
        (method, path)
        for path, entry in schema["paths"].items()
        for method in entry
        if method in ("post", "put", "patch") and "{" not in path
    ]
    assert ("patch", "/api/v1/me") in operations
    refused = []
    for user in (owner, participant):
        client = english(ing, user)
        for method, path in operations:
            response = getattr(client, method)(
                path, data=deep(1000), content_type="application/json"
            )
            assert response.status_code < 500, (method, path, user)
            if response.status_code >= 400:
                assert response.json()["error"]["code"], (method, path, user)
            if response.status_code == 400 and response.json()["error"]["code"] == "parse_error":
                refused.append(path)
    assert "/api/v1/me" in refused
    assert len(refused) > len(operations)  # most of them, for both


def test_json_nested_deep_says_why(ing, participant, english):
    response = english(ing, participant).patch(
        "/api/v1/me", data=deep(1000), content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "nested too deeply" in error["message"]
    # Deep enough to refuse, well short of what Python's parser chokes on.
    response = english(ing, participant).patch(
        "/api/v1/me", data='{"display_name": "Pat", "x": ' + deep(40) + "}",
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400


def test_json_over_the_size_limit_is_a_400(ing, participant, english, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"display_name": "x" * 2000})
    response = english(ing, participant).patch(
        "/api/v1/me", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_ordinary_json_still_works(ing, participant, english):
    response = english(ing, participant).patch(
        "/api/v1/me", data={"display_name": "Pat R."}, content_type="application/json"
    )
    assert response.status_code == 200
