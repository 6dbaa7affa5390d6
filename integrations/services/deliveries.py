"""Sending deliveries: one attempt, its outcome, the retry schedule, disabling
an endpoint that keeps failing; replays and test events."""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from core.permissions import Role, team_members
from integrations import chat, outbound
from integrations.events import TEST_EVENT, envelope, queue
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.services.common import WebhookError
from integrations.signing import signed_headers
from notifications.services import notify

Status = WebhookDelivery.Status
OPEN = (Status.PENDING, Status.FAILED)
CONSOLE_WEBHOOKS_URL = "/console/webhooks/"


def retry_delays() -> list[int]:
    """Seconds to wait after each failed attempt; one attempt more than delays."""
    return list(settings.WEBHOOKS_RETRY_DELAYS)


def _claim(delivery_id: int, now) -> bool:
    """Take the delivery for one attempt: it is open, due and nobody holds it.
    The lease outlives any attempt (timeout plus margin), then lapses."""
    lease = now + timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 3 + 30)
    return (
        WebhookDelivery.objects.filter(pk=delivery_id, status__in=OPEN, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease)
        == 1
    )


def body_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def delivery_attempt(*, delivery_id: int) -> tuple[str, int | None]:
    """Make the next attempt of a due delivery, if nobody else is making it.

    Returns (status, seconds until the next attempt or None). Safe to call twice
    or on two workers at once: only the one that claims the row sends."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped", None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.DEAD,
            claimed_until=None,
            next_attempt_at=None,
            finished_at=now,
            last_error=_("The endpoint is disabled."),
        )
        return Status.DEAD, None
    body = body_bytes(
        delivery.payload
        if endpoint.kind == WebhookEndpoint.Kind.STANDARD
        else chat.chat_body(endpoint=endpoint, payload=delivery.payload)
    )
    headers = signed_headers(
        secrets_=endpoint.signing_secrets(now), msg_id=delivery.event_id, timestamp=now, body=body
    )
    answer = outbound.post(endpoint.url, body=body, headers=headers)
    return _record(delivery_id=delivery.pk, answer=answer, attempted_at=now)


def _record(*, delivery_id: int, answer: outbound.Answer, attempted_at) -> tuple[str, int | None]:
    delays = retry_delays()
    disabled = None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.last_attempt_at = attempted_at
        delivery.last_response_code = answer.status
        delivery.last_response_excerpt = answer.excerpt
        delivery.last_error = answer.error
        delivery.last_duration_ms = answer.duration_ms
        delivery.claimed_until = None
        wait = None
        now = timezone.now()
        if answer.ok:
            delivery.status, delivery.finished_at, delivery.next_attempt_at = (
                Status.SUCCEEDED,
                now,
                None,
            )
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
                failure_streak=0, last_success_at=now
            )
        elif delivery.attempts > len(delays):
            delivery.status, delivery.finished_at, delivery.next_attempt_at = Status.DEAD, now, None
            disabled = _count_death(delivery)
        else:
            wait = delays[delivery.attempts - 1]
            delivery.status = Status.FAILED
            delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.save()
        if disabled is not None:
            _tell_team_disabled(disabled)
    return delivery.status, wait


def _count_death(delivery: WebhookDelivery) -> WebhookEndpoint | None:
    """A delivery gave up. When nothing reached the endpoint during the whole
    retry window of this delivery, the endpoint is disabled (returned)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    endpoint.failure_streak += 1
    fields = ["failure_streak"]
    silent = endpoint.last_success_at is None or endpoint.last_success_at < delivery.created_at
    if endpoint.enabled and silent:
        endpoint.enabled = False
        endpoint.disabled_reason = WebhookEndpoint.DisabledReason.FAILING
        fields += ["enabled", "disabled_reason"]
    endpoint.save(update_fields=fields)
    return endpoint if "enabled" in fields else None


def _tell_team_disabled(endpoint: WebhookEndpoint) -> None:
    for person in team_members(endpoint.tenant, Role.OWNER, Role.ADMIN):
        notify(
            recipient=person,
            event="webhooks.endpoint_disabled",
            tenant=endpoint.tenant,
            context={"endpoint_url": endpoint.url, "url": CONSOLE_WEBHOOKS_URL},
            dedupe_key=f"webhooks.endpoint_disabled:{endpoint.public_id}:{endpoint.failure_streak}",
        )


def delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event (same id and body) to the same endpoint again, as a
    new delivery in the log."""
    if not delivery.endpoint.enabled:
        raise WebhookError(_("Enable the endpoint before replaying a delivery."), code="disabled")
    with transaction.atomic():
        replay = WebhookDelivery.objects.create(
            tenant=delivery.tenant,
            endpoint=delivery.endpoint,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            payload=delivery.payload,
            next_attempt_at=timezone.now(),
        )
        queue(replay)
    return replay


def endpoint_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.test` event to this endpoint only, whatever it subscribes to."""
    if not endpoint.enabled:
        raise WebhookError(_("Enable the endpoint before sending a test event."), code="disabled")
    body = envelope(
        event=TEST_EVENT,
        data={"message": "Hello from Ruche", "endpoint_id": str(endpoint.public_id)},
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            tenant=endpoint.tenant,
            endpoint=endpoint,
            event_id=body["id"],
            event_type=TEST_EVENT,
            payload=body,
            next_attempt_at=timezone.now(),
        )
        queue(delivery)
    return delivery


def deliveries_due(*, now) -> list[tuple[int, int]]:
    """(tenant id, delivery id) of every open delivery whose attempt is due."""
    with scopes_disabled():  # reviewed: the sweep looks across tenants; each task scopes itself
        return list(
            WebhookDelivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at")
            .values_list("tenant_id", "pk")[:1000]
        )
