"""What a signed-in person is shown is theirs: no shared cache, nor the browser's
disk, may keep it (Cache-Control: private, no-store)."""

import pytest
from django.test import Client
from django_scopes import scope

from accounts import services as account_services

pytestmark = pytest.mark.django_db

PERSONAL = [
    "/me/",
    "/api/v1/me/export",
    "/me/payouts/",
    "/ideas/mine/",
    "/notifications/",
    "/api/v1/me",
    "/api/v1/me/payout-details",
]


@pytest.fixture
def pat(ing, participant):
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
    return participant


def assert_private(response):
    assert response.status_code in (200, 204), response
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.parametrize("path", PERSONAL)
def test_personal_pages_are_private_and_not_stored(path, ing, pat, client_for):
    assert_private(client_for(ing, pat).get(path))


@pytest.mark.parametrize("path", ["/console/team/", "/console/people/", "/api/v1/console/team"])
def test_console_pages_are_private_and_not_stored(path, ing, owner, client_for):
    assert_private(client_for(ing, owner).get(path))


def test_an_api_token_answer_is_private_too(ing, pat):
    with scope(tenant=ing):
        key = account_services.api_token_issue(user=pat, tenant=ing)
    api = Client(HTTP_HOST="ing.localhost", HTTP_AUTHORIZATION=f"Token {key}")
    assert_private(api.get("/api/v1/me"))


def test_a_public_page_for_a_visitor_is_left_alone(ing, client_for):
    response = client_for(ing).get("/terms/")
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


def test_a_view_that_chose_its_own_cache_control_keeps_it(ing, pat, client_for):
    response = client_for(ing, pat).get("/me/data.json?scope=tenant")
    assert response["Cache-Control"] == "no-store"
