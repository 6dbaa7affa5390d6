"""Celery tasks of the notifications: they call the services, nothing more."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.tasks import tenant_task


@tenant_task(bind=True, acks_late=True)
def email_send(self, *, tenant_id: int, delivery_id: int) -> str:
    """Send one notification or digest e-mail (idempotent: see `email_deliver`).

    A transient error (SMTP 4xx, connection lost, provider 429/5xx) is retried
    after NOTIFICATIONS_EMAIL_RETRY_DELAYS; the delivery row counts the attempts
    and gives up at NOTIFICATIONS_EMAIL_MAX_ATTEMPTS.
    """
    from notifications import services

    try:
        return services.email_deliver(delivery_id=delivery_id)
    except services.TransientEmailError as exc:
        delays = settings.NOTIFICATIONS_EMAIL_RETRY_DELAYS
        countdown = delays[min(self.request.retries, len(delays) - 1)]
        raise self.retry(
            exc=exc, countdown=countdown, max_retries=settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS
        ) from exc


@shared_task
def digests_send() -> int:
    """Build and queue the digests due now (beat, hourly). Safe to run twice."""
    from notifications import services

    return len(services.digests_build(now=timezone.now()))
