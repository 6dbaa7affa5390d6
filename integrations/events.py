"""The webhook events a brand can subscribe to, and `publish()`, the one
function the other apps call — as they call `notify()` — when one happens.

    from integrations.events import publish
    publish(tenant=idea.tenant, event="idea.published", data={...})

Call it inside the transaction of the write it reports: the deliveries are
rows written in that same transaction (nothing is sent for a write that rolls
back), and their sending is queued once it commits.

Every delivery's body is the same envelope, versioned:

    {"type": "idea.published", "version": 1, "id": "evt_…",
     "created_at": "2026-12-05T03:15:00Z", "data": {…}}

`version` changes only when a type's `data` changes incompatibly; fields may be
added within a version. The catalogue below names each type with an example of
its `data` (shown in the console and the README).
"""

import json
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PAYLOAD_VERSION = 1
TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class EventType:
    name: str
    label: Promise
    example: dict = field(default_factory=dict)


_IDEA = {
    "idea_id": "6f1c2b9e-5d0a-4c3e-9a51-1b2f8f5d2c11",
    "campaign_id": "0b8d7e5a-7c55-4c1f-8f0e-3d2a1c9b8e77",
    "title": "Redondea tus compras",
    "url": "https://ing.ruche.example/ideas/6f1c2b9e-5d0a-4c3e-9a51-1b2f8f5d2c11/",
}
_ROUND = {
    "campaign_id": "0b8d7e5a-7c55-4c1f-8f0e-3d2a1c9b8e77",
    "round_id": "5a3e1f0c-2b8d-4e6a-9c7f-0d1e2f3a4b5c",
    "round_index": 2,
    "round_kind": "weekly",
}
_PAYOUT = {
    "payout_id": "c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f",
    "award_id": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
    "idea_id": _IDEA["idea_id"],
    "amount": "500.00",
    "currency": "EUR",
}

CATALOGUE: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            "idea.submitted",
            _("An idea is submitted"),
            {**_IDEA, "state": "pending", "author_id": "9d8c7b6a-5f4e-3d2c-1b0a-9f8e7d6c5b4a"},
        ),
        EventType("idea.published", _("An idea is published"), {**_IDEA, "state": "published"}),
        EventType(
            "idea.hidden",
            _("An idea is hidden by a moderator"),
            {**_IDEA, "state": "hidden", "reason": "spam"},
        ),
        EventType(
            "idea.stage_changed",
            _("What became of an idea changes (its stage)"),
            {
                **_IDEA,
                "state": "published",
                "stage": "selected",
                "previous_stage": "under_review",
                "note": "",
            },
        ),
        EventType(
            "comment.posted",
            _("A comment is posted"),
            {
                "comment_id": "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
                "idea_id": _IDEA["idea_id"],
                "parent_id": None,
                "state": "published",
                "body": "¡Muy buena idea!",
            },
        ),
        EventType(
            "round.closed",
            _("A round's voting closes"),
            {**_ROUND, "state": "voting_closed"},
        ),
        EventType(
            "shortlist.ready",
            _("A round's shortlist is ready for the jury"),
            {**_ROUND, "state": "in_review", "idea_ids": [_IDEA["idea_id"]]},
        ),
        EventType(
            "winner.decided",
            _("A round's winners are decided"),
            {**_ROUND, "state": "decided", "idea_ids": [_IDEA["idea_id"]]},
        ),
        EventType(
            "payout.ready",
            _("A payout awaits approval"),
            {**_PAYOUT, "state": "ready"},
        ),
        EventType("payout.approved", _("A payout is approved"), {**_PAYOUT, "state": "approved"}),
        EventType("payout.paid", _("A payout is paid"), {**_PAYOUT, "state": "paid"}),
        EventType(
            "participant.erased",
            _("A participant's data is erased"),
            {"participant_id": "9d8c7b6a-5f4e-3d2c-1b0a-9f8e7d6c5b4a", "mode": "anonymise"},
        ),
    )
}


def event_choices() -> list[tuple[str, Promise]]:
    return [(e.name, e.label) for e in CATALOGUE.values()]


def envelope(*, event: str, data: dict, event_id: str | None = None, created_at=None) -> dict:
    """The body of every delivery, with `data` made plain JSON (UUIDs, dates,
    decimals as strings) so what is stored is exactly what is sent."""
    created_at = created_at or timezone.now()
    return {
        "type": event,
        "version": PAYLOAD_VERSION,
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    }


def subscribed(*, tenant, event: str) -> bool:
    """Whether an enabled endpoint of `tenant` listens to `event` (one query):
    lets a bulk change skip building payloads nobody will receive."""
    from integrations.models import WebhookEndpoint

    return WebhookEndpoint.objects.filter(
        tenant=tenant, enabled=True, events__contains=[event]
    ).exists()


def publish(*, tenant, event: str, data: dict) -> list:
    """Record `event` for every enabled endpoint of `tenant` that subscribes to
    it, and queue their sending after commit. Returns the deliveries made."""
    from integrations.models import WebhookDelivery, WebhookEndpoint

    if event not in CATALOGUE:
        raise ValueError(f"publish(): {event!r} is not in the webhook catalogue")
    endpoints = list(
        WebhookEndpoint.objects.filter(tenant=tenant, enabled=True, events__contains=[event])
    )
    if not endpoints:
        return []
    body = envelope(event=event, data=data)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            tenant=tenant,
            endpoint=endpoint,
            event_id=body["id"],
            event_type=event,
            payload=body,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        queue(delivery)
    return deliveries


def queue(delivery) -> None:
    """Send `delivery` once the current transaction commits."""
    from integrations import tasks

    transaction.on_commit(
        partial(tasks.webhook_deliver.delay, tenant_id=delivery.tenant_id, delivery_id=delivery.pk)
    )
