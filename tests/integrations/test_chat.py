"""A team chat's incoming webhook (Slack, Microsoft Teams) gets the events it
picked as messages people read, in the brand's language, with a link."""

import json

import pytest
from django.test import override_settings

from integrations import services, tasks
from integrations.events import TEST_EVENT, publish
from integrations.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

IDEA = {
    "idea_id": "6f1c2b9e",
    "title": "Redondea tus <compras> & ahorra",
    "state": "pending",
    "url": "http://ing.localhost/ideas/6f1c2b9e/",
}


def _deliver(delivery):
    return tasks.webhook_deliver(tenant_id=delivery.tenant_id, delivery_id=delivery.pk)


def test_slack_gets_a_message_in_the_brand_s_language(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        services.endpoint_create(tenant=ing, url=hook.url, kind="slack", events=["idea.submitted"])
        [delivery] = publish(tenant=ing, event="idea.submitted", data=IDEA)
        assert _deliver(delivery) == "succeeded"
    [request] = hook.received
    body = json.loads(request.body)
    # ING speaks Spanish; Slack's mrkdwn escapes <, > and &.
    # Escaped for Slack's mrkdwn everywhere: no mention or link smuggled in a title.
    assert body["text"] == (
        "Se envía una idea: “Redondea tus &lt;compras&gt; &amp; ahorra” — pendiente de moderación"
    )
    section = body["blocks"][0]["text"]["text"]
    assert "Redondea tus &lt;compras&gt; &amp; ahorra" in section
    assert f"<{IDEA['url']}|Abrir en Ruche>" in section
    assert body["blocks"][1]["elements"][0]["text"] == ing.name
    # Still signed, like every delivery (a chat ignores it).
    assert request.headers["webhook-id"] == delivery.event_id


def test_teams_gets_an_adaptive_card_with_a_link_to_act(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        services.endpoint_create(tenant=ing, url=hook.url, kind="teams", events=["payout.ready"])
        [delivery] = publish(
            tenant=ing,
            event="payout.ready",
            data={"payout_id": "p1", "amount": "1234.50", "currency": "EUR", "state": "ready"},
        )
        _deliver(delivery)
    body = json.loads(hook.received[0].body)
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    texts = [
        block["inlines"][0]["text"] if block["type"] == "RichTextBlock" else block["text"]
        for block in card["body"]
    ]
    assert texts == ["Un pago espera aprobación", "1\xa0234,50 EUR", ing.name]
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl" and action["title"] == "Abrir en Ruche"
    assert action["url"].endswith("/console/payouts/") and "ing." in action["url"]


def test_the_test_button_greets_the_channel(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        endpoint = services.endpoint_create(
            tenant=ing, url=hook.url, kind="slack", events=["idea.published"]
        )
        delivery = services.endpoint_test_send(endpoint=endpoint)
        _deliver(delivery)
        assert WebhookDelivery.objects.get(pk=delivery.pk).event_type == TEST_EVENT
    body = json.loads(hook.received[0].body)
    assert body["text"].startswith(f"Un mensaje de prueba de {ing.name} en Ruche")


@override_settings(WEBHOOKS_ALLOW_PRIVATE_HOSTS=True)
def test_an_unknown_kind_is_refused_and_nothing_written(ing, in_scope):
    with in_scope(tenant=ing), pytest.raises(services.WebhookError) as refused:
        services.endpoint_create(
            tenant=ing, url="https://hooks.example/x", kind="irc", events=["idea.published"]
        )
    assert "kind" in refused.value.fields
    with in_scope(tenant=ing):
        assert not WebhookEndpoint.objects.exists()


def test_a_title_s_markdown_stays_text_in_teams(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        services.endpoint_create(tenant=ing, url=hook.url, kind="teams", events=["idea.submitted"])
        [delivery] = publish(
            tenant=ing, event="idea.submitted",
            data={**IDEA, "title": "[Aprueba el pago](https://evil.example)"},
        )  # fmt: skip
        _deliver(delivery)
    card = json.loads(hook.received[0].body)["attachments"][0]["content"]
    detail = card["body"][1]
    assert detail["type"] == "RichTextBlock" and detail["inlines"][0]["type"] == "TextRun"
    assert "[Aprueba el pago](https://evil.example)" in detail["inlines"][0]["text"]
    assert [action["url"] for action in card["actions"]] == [IDEA["url"]]
