"""Real deliveries to a real receiver on the loopback: signatures, retries with
backoff (by moving the clock and running the task), dead deliveries, disabling."""

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from integrations import services, tasks
from integrations.events import publish
from integrations.models import WebhookDelivery, WebhookEndpoint
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _endpoint(tenant, url, events=("idea.published",)):
    return services.endpoint_create(tenant=tenant, url=url, events=list(events))


def _run(delivery):
    return tasks.webhook_deliver(tenant_id=delivery.tenant_id, delivery_id=delivery.pk)


def _retry_after_each(clock, delivery, delays):
    """Move the clock on by each retry delay in turn and run the delivery again."""
    for delay in delays:
        clock.shift(dt.timedelta(seconds=delay))
        _run(delivery)


def _publish(tenant):
    [delivery] = publish(
        tenant=tenant, event="idea.published", data={"idea_id": "abc", "title": "Redondea"}
    )
    return delivery


def test_a_delivery_is_signed_and_the_receiver_verifies_it(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        delivery = _publish(ing)
        assert _run(delivery) == "succeeded"
        delivery.refresh_from_db()

    [request] = hook.received
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "idea.published"
    assert payload["version"] == 1
    assert payload["id"] == request.headers["webhook-id"] == delivery.event_id
    assert payload["data"] == {"idea_id": "abc", "title": "Redondea"}
    assert set(payload) == {"type", "version", "id", "created_at", "data"}
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 1 and delivery.last_response_code == 200
    # The signature by hand, as the README shows it.
    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode()
    expected = base64.b64encode(hmac.new(key, signed + request.body, hashlib.sha256).digest())
    assert request.headers["webhook-signature"] == "v1," + expected.decode()
    assert request.headers["content-type"] == "application/json"
    # A secret that is not the endpoint's does not verify.
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)


def test_only_subscribed_enabled_endpoints_get_the_event(ing, decathlon, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        _endpoint(ing, hook.url, events=["comment.posted"])
        disabled = _endpoint(ing, hook.url)
        services.endpoint_disable(endpoint=disabled)
        assert publish(tenant=ing, event="idea.published", data={}) == []
    with in_scope(tenant=decathlon):
        assert publish(tenant=decathlon, event="idea.published", data={}) == []


def test_publish_queues_the_sending_after_commit(
    ing, in_scope, receiver, django_capture_on_commit_callbacks
):
    hook = receiver([200])
    with in_scope(tenant=ing):
        _endpoint(ing, hook.url)
        with django_capture_on_commit_callbacks() as callbacks:
            _publish(ing)
    assert len(callbacks) == 1
    assert hook.received == []  # nothing is sent before the write commits


def test_rotation_signs_with_both_secrets_for_a_day(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        old_secret = endpoint.secret
        endpoint = services.endpoint_secret_rotate(endpoint=endpoint)
        assert endpoint.secret != old_secret
        _run(_publish(ing))
        request = hook.received[-1]
        assert len(request.headers["webhook-signature"].split(" ")) == 2
        Webhook(old_secret).verify(request.body, request.headers)
        Webhook(endpoint.secret).verify(request.body, request.headers)

        with time_machine.travel(timezone.now() + dt.timedelta(hours=24, seconds=1)):
            _run(_publish(ing))
            request = hook.received[-1]
            assert len(request.headers["webhook-signature"].split(" ")) == 1
            Webhook(endpoint.secret).verify(request.body, request.headers)
            with pytest.raises(WebhookVerificationError):
                Webhook(old_secret).verify(request.body, request.headers)


def test_three_failures_then_success_delivers_exactly_once_more(ing, in_scope, receiver):
    hook = receiver([500, 500, 500, 200])
    delays = settings.WEBHOOKS_RETRY_DELAYS
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        delivery = _publish(ing)
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            assert _run(delivery) == "failed"
            # Not yet due: running the task (or the sweep) again sends nothing.
            assert _run(delivery) == "skipped"
            assert tasks.webhooks_retry_due() == 0
            for delay in delays[:3]:
                clock.shift(dt.timedelta(seconds=delay))
                assert services.deliveries_due(now=timezone.now()) == [(ing.pk, delivery.pk)]
                _run(delivery)
            # Long after: nothing is due, and the task does nothing.
            clock.shift(dt.timedelta(days=10))
            assert services.deliveries_due(now=timezone.now()) == []
            assert _run(delivery) == "skipped"
        delivery.refresh_from_db()
        endpoint.refresh_from_db()

    assert [r.headers["webhook-id"] for r in hook.received] == [delivery.event_id] * 4
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 4 and delivery.last_response_code == 200
    assert endpoint.enabled and endpoint.failure_streak == 0


def test_the_retry_schedule_backs_off(ing, in_scope, receiver):
    hook = receiver([503])
    delays = settings.WEBHOOKS_RETRY_DELAYS
    with in_scope(tenant=ing):
        _endpoint(ing, hook.url)
        delivery = _publish(ing)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            _run(delivery)
            for delay in delays[:3]:
                clock.shift(dt.timedelta(seconds=delay - 1))
                assert _run(delivery) == "skipped"  # one second early
                clock.shift(dt.timedelta(seconds=1))
                assert _run(delivery) == "failed"
        delivery.refresh_from_db()
    assert delays == sorted(delays)
    assert 2.5 * 86400 < sum(delays) < 3.5 * 86400  # about three days
    assert delivery.attempts == 4
    # The answer's body is capped.
    assert len(delivery.last_response_excerpt) == settings.WEBHOOKS_RESPONSE_CAP_BYTES


def test_a_dead_endpoint_is_disabled_and_the_brand_told(
    ing, in_scope, receiver, owner, admin, moderator
):
    hook = receiver([500])
    delays = settings.WEBHOOKS_RETRY_DELAYS
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        delivery = _publish(ing)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            _run(delivery)
            _retry_after_each(clock, delivery, delays)
            delivery.refresh_from_db()
            endpoint.refresh_from_db()
            assert delivery.status == WebhookDelivery.Status.DEAD
            assert delivery.attempts == len(delays) + 1 == len(hook.received)
            assert not endpoint.enabled
            assert endpoint.disabled_reason == WebhookEndpoint.DisabledReason.FAILING
            told = Notification.objects.filter(tenant=ing, event="webhooks.endpoint_disabled")
            assert {n.recipient for n in told} == {owner, admin}
            assert told.first().context["endpoint_url"] == hook.url
            # A disabled endpoint gets no new events.
            assert publish(tenant=ing, event="idea.published", data={}) == []


def test_an_endpoint_that_answers_meanwhile_is_not_disabled(ing, in_scope, receiver):
    hook = receiver([500])
    good = receiver([200])
    delays = settings.WEBHOOKS_RETRY_DELAYS
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        dying = _publish(ing)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            _run(dying)
            # Halfway through, a later delivery reaches the endpoint.
            clock.shift(dt.timedelta(hours=1))
            services.endpoint_update(endpoint=endpoint, url=good.url, events=["idea.published"])
            later = _publish(ing)
            _run(later)
            services.endpoint_update(endpoint=endpoint, url=hook.url, events=["idea.published"])
            _retry_after_each(clock, dying, delays)
        dying.refresh_from_db()
        endpoint.refresh_from_db()
    assert dying.status == WebhookDelivery.Status.DEAD
    assert endpoint.enabled and endpoint.failure_streak == 1


def test_a_redirect_is_not_followed(ing, in_scope, receiver):
    target = receiver([200])
    hook = receiver([302], redirect_to=target.url)
    with in_scope(tenant=ing):
        _endpoint(ing, hook.url)
        delivery = _publish(ing)
        assert _run(delivery) == "failed"
        delivery.refresh_from_db()
    assert target.received == []
    assert delivery.last_response_code == 302
    assert "redirect" in delivery.last_error.lower()


def test_replay_and_test_event_are_new_deliveries(ing, in_scope, receiver):
    hook = receiver([200])
    with in_scope(tenant=ing):
        endpoint = _endpoint(ing, hook.url)
        delivery = _publish(ing)
        _run(delivery)
        replay = services.delivery_replay(delivery=delivery)
        _run(replay)
        test = services.endpoint_test_send(endpoint=endpoint)
        _run(test)
    first, again, ping = (json.loads(r.body) for r in hook.received)
    assert again == first and replay.pk != delivery.pk
    assert ping["type"] == "webhook.test"
    Webhook(endpoint.secret).verify(hook.received[-1].body, hook.received[-1].headers)
