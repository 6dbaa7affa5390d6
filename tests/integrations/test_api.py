"""/api/v1/webhooks/: the same rules as the console, JSON errors for bad input."""

import pytest
from django.test import override_settings

from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.integrations.conftest import URL

pytestmark = pytest.mark.django_db

API = "/api/v1/webhooks/endpoints"


def calls(endpoint):
    one = f"{API}/{endpoint.public_id}"
    return [
        ("get", API),
        ("get", one),
        ("patch", one),
        ("get", f"{one}/deliveries"),
        ("post", f"{one}/test"),
        ("post", f"{one}/rotate-secret"),
        ("delete", one),
    ]


def call(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_owners_and_admins_use_the_api(request, ing, client_for, in_scope, persona):
    client = client_for(ing, request.getfixturevalue(persona))
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        created = call(client, "post", API, {"url": URL, "events": ["payout.paid"]})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["payout.paid"]
    one = f"{API}/{body['id']}"
    assert [e["id"] for e in call(client, "get", API).json()] == [body["id"]]
    changed = call(client, "patch", one, {"description": "CRM", "enabled": False})
    assert changed.status_code == 200 and changed.json()["enabled"] is False
    assert changed.json()["description"] == "CRM"
    assert call(client, "patch", one, {"enabled": True}).json()["enabled"] is True
    rotated = call(client, "post", f"{one}/rotate-secret").json()
    assert rotated["secret"] != body["secret"] and rotated["previous_secret_expires_at"]
    test = call(client, "post", f"{one}/test")
    assert test.status_code == 202 and test.json()["event_type"] == "webhook.test"
    log = call(client, "get", f"{one}/deliveries").json()
    assert [d["id"] for d in log["results"]] == [test.json()["id"]]
    replay = call(client, "post", f"{one}/deliveries/{test.json()['id']}/replay")
    assert replay.status_code == 202 and replay.json()["event_id"] == test.json()["event_id"]
    events = call(client, "get", "/api/v1/webhooks/events").json()
    assert "idea.published" in [e["type"] for e in events]
    assert call(client, "delete", one).status_code == 204
    with in_scope(tenant=ing):
        assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_moderator_gets_403(ing, endpoint, moderator, client_for):
    client = client_for(ing, moderator)
    for method, url in calls(endpoint):
        assert call(client, method, url).status_code == 403, url


def test_a_participant_and_another_tenant_get_404(ing, endpoint, participant, stranger, client_for):
    for user in (participant, stranger):
        client = client_for(ing, user)
        for method, url in calls(endpoint):
            assert call(client, method, url).status_code == 404, url


def test_another_tenant_s_owner_does_not_see_this_endpoint(
    decathlon, endpoint, stranger, client_for
):
    client = client_for(decathlon, stranger)
    assert call(client, "get", API).json() == []
    for method, url in calls(endpoint)[1:]:
        assert call(client, method, url).status_code == 404, url


def test_a_visitor_is_refused(ing, endpoint, client_for):
    assert call(client_for(ing), "get", API).status_code in (401, 403)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"url": "http://127.0.0.1/", "events": ["idea.published"]}, "url"),
        ({"url": "http://169.254.169.254/", "events": ["idea.published"]}, "url"),
        ({"url": "gopher://x.example/", "events": ["idea.published"]}, "url"),
        ({"url": "https://x.example/", "events": ["idea.nope"]}, "events"),
        ({"url": "https://x.example/", "events": []}, "events"),
        ({"url": "https://x.example/"}, "events"),
        ({"events": ["idea.published"]}, "url"),
        ({"url": 12, "events": "idea.published"}, "events"),
        ({"url": "https://x.example/", "kind": "irc", "events": ["idea.published"]}, "kind"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ing, owner, client_for, in_scope, data, field):
    response = call(client_for(ing, owner), "post", API, data)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    with in_scope(tenant=ing):
        assert not WebhookEndpoint.objects.exists()


def test_a_bad_patch_changes_nothing(ing, owner, endpoint, client_for, in_scope):
    response = call(
        client_for(ing, owner), "patch", f"{API}/{endpoint.public_id}",
        {"url": "http://10.0.0.1/", "enabled": False},
    )  # fmt: skip
    assert response.status_code == 400
    with in_scope(tenant=ing):
        endpoint.refresh_from_db()
    assert endpoint.url == URL and endpoint.enabled


def test_the_schema_documents_the_webhooks_api(ing, client_for):
    schema = client_for(ing).get("/api/schema/?format=json").json()
    assert "/api/v1/webhooks/endpoints" in schema["paths"]
    assert (
        "/api/v1/webhooks/endpoints/{public_id}/deliveries/{delivery_id}/replay" in schema["paths"]
    )


def test_a_team_chat_endpoint_through_the_api(ing, owner, client_for, in_scope):
    client = client_for(ing, owner)
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        made = call(client, "post", API, {"url": URL, "kind": "slack",
                                          "events": ["shortlist.ready"]})  # fmt: skip
        assert made.status_code == 201, made.json()
        assert made.json()["kind"] == "slack"
        changed = call(client, "patch", f"{API}/{made.json()['id']}", {"kind": "teams"})
    assert changed.status_code == 200 and changed.json()["kind"] == "teams"
    with in_scope(tenant=ing):
        assert WebhookEndpoint.objects.get().kind == "teams"
