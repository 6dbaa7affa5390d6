"""The console's webhook pages: who sees them, adding with clear errors,
changing, rotating, enabling, deleting, the delivery log, replay and test."""

import pytest
from django.test import override_settings

from integrations import services
from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.integrations.conftest import URL

pytestmark = pytest.mark.django_db


def pages(endpoint):
    base = f"/console/webhooks/{endpoint.public_id}/"
    return ["/console/webhooks/", "/console/webhooks/add/", base, base + "edit/", base + "delete/"]


@pytest.mark.parametrize("persona", ["owner", "admin"])
def test_owners_and_admins_see_every_page(request, ing, endpoint, client_for, persona):
    client = client_for(ing, request.getfixturevalue(persona))
    for page in pages(endpoint):
        assert client.get(page).status_code == 200, page
    assert URL in client.get("/console/webhooks/").content.decode()
    assert 'href="/console/webhooks/"' in client.get("/console/").content.decode()


def test_the_pages_speak_the_brand_s_language(ing, owner, endpoint, client_for):
    page = client_for(ing, owner, language="es").get(f"/console/webhooks/{endpoint.public_id}/")
    assert "Enviar un evento de prueba" in page.content.decode()
    page = client_for(ing, owner, language="fr").get("/console/webhooks/")
    assert "Ajouter un point de réception" in page.content.decode()


def test_a_moderator_gets_403(ing, endpoint, moderator, client_for):
    client = client_for(ing, moderator)
    for page in pages(endpoint):
        assert client.get(page).status_code == 403, page
    assert client.post(f"/console/webhooks/{endpoint.public_id}/delete/").status_code == 403
    assert 'href="/console/webhooks/"' not in client.get("/console/").content.decode()


def test_a_participant_and_another_tenant_get_404(ing, endpoint, participant, stranger, client_for):
    for user in (participant, stranger):
        client = client_for(ing, user)
        for page in pages(endpoint):
            assert client.get(page).status_code == 404, page
        assert client.post(f"/console/webhooks/{endpoint.public_id}/test/").status_code == 404


def test_another_tenant_s_endpoint_is_404_for_its_owner(decathlon, endpoint, stranger, client_for):
    client = client_for(decathlon, stranger)
    for page in pages(endpoint)[2:]:
        assert client.get(page).status_code == 404, page
    assert client.post(f"/console/webhooks/{endpoint.public_id}/rotate/").status_code == 404


def test_a_visitor_is_sent_to_sign_in(ing, endpoint, client_for):
    response = client_for(ing).get("/console/webhooks/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_adding_an_endpoint(ing, owner, client_for, in_scope):
    client = client_for(ing, owner)
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        response = client.post(
            "/console/webhooks/add/",
            {"url": URL, "description": "CRM", "events": ["idea.published", "payout.paid"]},
        )
    with in_scope(tenant=ing):
        endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/webhooks/{endpoint.public_id}/"
    assert endpoint.events == ["idea.published", "payout.paid"]
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"url": "not a url", "events": ["idea.published"]}, "url", "Enter an http:// or https://"),
        ({"url": "http://127.0.0.1/", "events": ["idea.published"]}, "url", "private or reserved"),
        ({"url": "http://169.254.169.254/", "events": ["idea.published"]}, "url", "private"),
        ({"url": "", "events": ["idea.published"]}, "url", "Enter the URL"),
        ({"url": "http://[::1]/", "events": ["idea.nope"]}, "events", "Unknown event: idea.nope"),
        ({"url": "http://[::1]/", "events": []}, "events", "Choose at least one event"),
        ({"url": "http://[::1]/", "events": ["idea.published"], "description": "x" * 201},
         "description", "too long"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_message(
    ing, owner, client_for, in_scope, data, field, message
):
    response = client_for(ing, owner).post("/console/webhooks/add/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="webhook-{field}-error"' in page and message in page
    with in_scope(tenant=ing):
        assert not WebhookEndpoint.objects.exists()


def test_changing_rotating_disabling_and_deleting(ing, owner, endpoint, client_for, in_scope):
    client = client_for(ing, owner)
    base = f"/console/webhooks/{endpoint.public_id}/"
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        response = client.post(base + "edit/", {"url": URL + "2", "events": ["comment.posted"]})
    assert response.status_code == 302
    assert client.post(base + "edit/", {"url": URL, "events": []}).status_code == 400
    old = endpoint.secret
    assert client.post(base + "rotate/").status_code == 302
    assert client.post(base + "disable/").status_code == 302
    with in_scope(tenant=ing):
        endpoint.refresh_from_db()
    assert endpoint.url == URL + "2" and endpoint.events == ["comment.posted"]
    assert endpoint.previous_secret == old and endpoint.secret != old
    assert not endpoint.enabled and endpoint.disabled_reason == "by_team"
    assert "The previous secret also signs deliveries until" in client.get(base).content.decode()
    client.post(base + "enable/")
    with in_scope(tenant=ing):
        endpoint.refresh_from_db()
        assert endpoint.enabled
    assert client.get(base + "delete/").status_code == 200  # the confirmation first
    with in_scope(tenant=ing):
        assert WebhookEndpoint.objects.exists()
    assert client.post(base + "delete/").status_code == 302
    with in_scope(tenant=ing):
        assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_deliveries_and_replays_them(
    ing, owner, endpoint, client_for, in_scope, django_capture_on_commit_callbacks
):
    client = client_for(ing, owner)
    base = f"/console/webhooks/{endpoint.public_id}/"
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(base + "test/").status_code == 302
    assert len(queued) == 1
    with in_scope(tenant=ing):
        delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "webhook.test"
    page = client.get(base).content.decode()
    assert "webhook.test" in page and delivery.event_id in page
    replay = f"{base}deliveries/{delivery.public_id}/replay/"
    assert client.post(replay).status_code == 302
    with in_scope(tenant=ing):
        assert WebhookDelivery.objects.filter(event_id=delivery.event_id).count() == 2


def test_the_log_page_runs_a_constant_number_of_queries(
    ing, owner, endpoint, client_for, in_scope, django_assert_max_num_queries
):
    client = client_for(ing, owner)
    base = f"/console/webhooks/{endpoint.public_id}/"
    with in_scope(tenant=ing):
        for _ in range(5):
            services.endpoint_test_send(endpoint=endpoint)
    client.get(base)
    with django_assert_max_num_queries(15):
        assert client.get(base).status_code == 200


def test_adding_a_team_chat_endpoint(ing, owner, client_for, in_scope):
    client = client_for(ing, owner)
    form = client.get("/console/webhooks/add/").content.decode()
    assert 'name="kind" value="slack"' in form and 'value="standard" checked' in form
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True):
        bad = client.post(
            "/console/webhooks/add/",
            {"url": URL, "kind": "irc", "events": ["idea.submitted"]},
        )
        assert bad.status_code == 400
        assert "Choose what the endpoint receives." in bad.content.decode()
        response = client.post(
            "/console/webhooks/add/",
            {"url": URL, "kind": "teams", "events": ["payout.ready"]},
        )
    assert response.status_code == 302
    with in_scope(tenant=ing):
        endpoint = WebhookEndpoint.objects.get()
    assert endpoint.kind == "teams" and endpoint.events == ["payout.ready"]
    assert "Microsoft Teams" in client.get(response["Location"]).content.decode()
