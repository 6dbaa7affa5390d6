"""Celery tasks of the webhooks: they call the services, nothing more."""

from celery import shared_task
from django.utils import timezone

from core.tasks import tenant_task

# Retries sooner than this go back on the queue with a countdown; later ones
# (hours away, longer than the broker keeps an unacknowledged message) wait for
# the sweep, which every minute queues the deliveries that are due.
COUNTDOWN_LIMIT_SECONDS = 30 * 60


@tenant_task
def webhook_deliver(*, tenant_id: int, delivery_id: int) -> str:
    """One attempt of one delivery (idempotent: see `delivery_attempt`)."""
    from integrations import services

    status, wait = services.delivery_attempt(delivery_id=delivery_id)
    if wait is not None and wait < COUNTDOWN_LIMIT_SECONDS:
        webhook_deliver.apply_async(
            kwargs={"tenant_id": tenant_id, "delivery_id": delivery_id}, countdown=wait
        )
    return status


@shared_task
def webhooks_retry_due() -> int:
    """Queue every delivery whose next attempt is due (beat, every minute)."""
    from integrations import services

    due = services.deliveries_due(now=timezone.now())
    for tenant_id, delivery_id in due:
        webhook_deliver.delay(tenant_id=tenant_id, delivery_id=delivery_id)
    return len(due)
