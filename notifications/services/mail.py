"""Delivering a queued e-mail: retried on transient failures, recorded either way."""

import logging
import smtplib
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from notifications.models import (
    EmailDelivery,
    Notification,
)
from notifications.services.common import TransientEmailError
from tenants.models import Tenant

logger = logging.getLogger(__name__)


# --- Sending an e-mail ------------------------------------------------------------


def email_deliver(*, delivery_id: int) -> str:
    """Send one e-mail delivery, at most once. Run it in the delivery's tenant scope.

    Claims the row (pending → sending) with a conditional UPDATE: a duplicate
    task, or one that arrives after success, finds nothing to claim and sends
    nothing. A transient error puts the row back to pending and raises
    TransientEmailError (the task retries later) until the attempts run out;
    any other error marks it failed. Returns the resulting status.
    """
    now = timezone.now()
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=EmailDelivery.Status.PENDING
    ).update(status=EmailDelivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "not_claimed"
    delivery = EmailDelivery.objects.select_related(
        "tenant", "recipient", "notification", "digest"
    ).get(pk=delivery_id)

    from notifications.emails import build_message

    try:
        message = build_message(delivery)
        if message is None:
            return _delivery_finish(delivery, EmailDelivery.Status.CANCELLED, "no recipient")
        message.send()
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        max_attempts = settings.NOTIFICATIONS_EMAIL_MAX_ATTEMPTS
        if is_transient(exc) and delivery.attempts < max_attempts:
            _delivery_finish(delivery, EmailDelivery.Status.PENDING, error)
            raise TransientEmailError(error) from exc
        logger.warning("e-mail delivery %s failed for good: %s", delivery.public_id, error)
        return _delivery_finish(delivery, EmailDelivery.Status.FAILED, error)
    return _delivery_finish(delivery, EmailDelivery.Status.SENT, "")


def _delivery_finish(delivery: EmailDelivery, status: str, error: str) -> str:
    """Record the outcome. Once an e-mail-only notification (a sign-in code) is
    sent or given up, its context is erased: nothing will show it again."""
    fields = {"status": status}
    if status == EmailDelivery.Status.SENT:
        fields["sent_at"] = timezone.now()  # last_error stays: the history of the retries
    else:
        fields["last_error"] = error
    EmailDelivery.objects.filter(pk=delivery.pk, status=EmailDelivery.Status.SENDING).update(
        **fields
    )
    notification = delivery.notification
    if status != EmailDelivery.Status.PENDING and notification and not notification.in_app:
        Notification.objects.filter(pk=notification.pk).update(context={})
    return status


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later: SMTP 4xx, a lost or refused connection, a
    timeout, or an e-mail provider's 429/5xx (django-anymail's errors carry
    `status_code`)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):  # a refusal that retrying won't change
        return False
    if isinstance(exc, OSError):  # refused, reset, timed out, name not resolved
        return True
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status == 429 or status >= 500
    return False


def sender_address(tenant: Tenant) -> str:
    """`"ING Direct via Ruche" <no-reply@…>`: the tenant's name, the platform's address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((f"{tenant.name} via {settings.PLATFORM_NAME}", address))
