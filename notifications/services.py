"""Notifications: the one entry point every app calls, and every other write.

    from notifications.services import notify

    notify(
        recipient=idea.author,          # a User
        event="idea.approved",          # a name from notifications/events.py
        tenant=idea.tenant,             # optional inside scope(tenant=…)
        context={"idea_title": idea.title, "url": f"/ideas/{idea.public_id}/"},
        dedupe_key=f"idea.approved:{idea.public_id}",  # optional
    )

The contract of `notify`:

- Keyword arguments only. `tenant` defaults to the tenant of the active
  django-scopes scope; with neither, it raises ValueError.
- `context` holds JSON values only (str, int, bool, lists, dicts): it is stored
  and rendered later, in the reader's language. It must carry the keys the
  event declares in `required` (ValueError otherwise). `url`, when given, is a
  path on the tenant's host ("/ideas/…/"): the link of the bell item and of
  the e-mail. Format amounts and names before passing them; pass dates as ISO
  8601 strings (templates show them in the tenant's time zone).
- What happens follows the recipient's preference for the event in that
  tenant (the event's default when they have none): nothing (`off`), the bell
  only, or the bell and an e-mail — at once, or in the next daily or weekly
  digest. Transactional events (sign-in code, payouts, team invitation) always
  go out at once by e-mail. An inactive recipient gets nothing.
- With `dedupe_key`, the same (tenant, recipient, key) is notified once: a
  second call returns the first notification and sends nothing.
- Call it inside the caller's transaction: the e-mail is queued on commit, so
  a rolled-back use case tells nobody anything.
- Returns the Notification, or None when the preference is `off`.
  Raises UnknownEvent (a DomainError) for a name that is not registered.
"""

import logging
import smtplib
from datetime import datetime, time, timedelta
from email.utils import formataddr, parseaddr
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import get_scope, scope, scopes_disabled

from core.errors import DomainError
from notifications import tasks
from notifications.events import Event, get_event
from notifications.models import (
    DIGEST_MODES,
    DeliveryMode,
    Digest,
    EmailDelivery,
    Follow,
    Notification,
    Preference,
)
from tenants.models import Tenant

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL_EVENTS = "*"


class NotificationError(DomainError):
    code = "notification_invalid"


class TransientEmailError(Exception):
    """The mail server or provider said "try again later"; the task retries."""


# --- notify ---------------------------------------------------------------------


def notify(
    *,
    recipient,
    event: str,
    tenant: Tenant | None = None,
    context: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tell `recipient` about `event` in `tenant`. See the module docstring."""
    spec = get_event(event)
    tenant = _tenant_or_scope(tenant)
    context = dict(context or {})
    missing = [key for key in spec.required if key not in context]
    if missing:
        raise ValueError(f"notify({event!r}): context lacks {', '.join(missing)}")
    if not recipient.is_active:
        return None

    with scope(tenant=tenant):
        if dedupe_key:
            existing = Notification.objects.filter(
                tenant=tenant, recipient=recipient, dedupe_key=dedupe_key
            ).first()
            if existing is not None:
                return existing
        mode = spec.delivery_for(_chosen_delivery(tenant, recipient, spec))
        if mode == DeliveryMode.OFF:
            return None
        try:
            with transaction.atomic():
                return _notification_create(
                    tenant=tenant,
                    recipient=recipient,
                    spec=spec,
                    mode=mode,
                    context=context,
                    dedupe_key=dedupe_key or "",
                )
        except IntegrityError:
            if not dedupe_key:
                raise
            # A concurrent call with the same key won: it is the one notification.
            return Notification.objects.get(
                tenant=tenant, recipient=recipient, dedupe_key=dedupe_key
            )


def _tenant_or_scope(tenant: Tenant | None) -> Tenant:
    """The tenant given, else the active scope's. A tenant that differs from the
    active scope's is a bug (one tenant's request writing into another's): refused."""
    scoped = get_scope().get("tenant")
    if tenant is None:
        if scoped is None:
            raise ValueError("notify() needs a tenant: pass tenant=… or call it inside its scope")
        return scoped
    if scoped is not None and scoped.pk != tenant.pk:
        raise ValueError(f"tenant {tenant.slug} given inside the scope of {scoped.slug}")
    return tenant


def _chosen_delivery(tenant: Tenant, user, spec: Event) -> str | None:
    if spec.transactional:
        return None
    return (
        Preference.objects.filter(tenant=tenant, user=user, event=spec.name)
        .values_list("delivery", flat=True)
        .first()
    )


def _notification_create(*, tenant, recipient, spec, mode, context, dedupe_key) -> Notification:
    notification = Notification.objects.create(
        tenant=tenant,
        recipient=recipient,
        event=spec.name,
        context=context,
        in_app=spec.in_app,
        dedupe_key=dedupe_key,
        digest_kind=mode if mode in DIGEST_MODES else "",
    )
    if mode == DeliveryMode.IMMEDIATE and recipient.email:
        delivery = EmailDelivery.objects.create(
            tenant=tenant, recipient=recipient, notification=notification
        )
        _queue_email(delivery)
    return notification


def _queue_email(delivery: EmailDelivery) -> None:
    transaction.on_commit(
        partial(tasks.email_send.delay, tenant_id=delivery.tenant_id, delivery_id=delivery.pk)
    )


# --- The bell -------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, tenant: Tenant, user) -> int:
    """Mark every unread notification of `user` in `tenant` read; how many were."""
    return Notification.objects.filter(
        tenant=tenant, recipient=user, in_app=True, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- Preferences and unsubscribing ----------------------------------------------


def preference_set(*, tenant: Tenant, user, event: str, delivery: str) -> Preference:
    """Set how `user` hears of `event` in `tenant`. Transactional events refuse.

    Notifications already waiting for a digest follow the new choice: to the
    other digest, or out of the e-mail altogether when e-mails are turned off.
    """
    spec = get_event(event)
    if spec.transactional:
        raise NotificationError(
            _("This message is part of a service you use: it cannot be turned off."),
            code="transactional",
        )
    if delivery not in {value for value, _label in spec.choices()}:
        raise NotificationError(
            _("Choose one of the offered options."), fields={"delivery": [delivery]}
        )
    with transaction.atomic():
        preference, _created = Preference.objects.update_or_create(
            tenant=tenant, user=user, event=spec.name, defaults={"delivery": delivery}
        )
        waiting = Notification.objects.filter(
            tenant=tenant, recipient=user, event=spec.name, digest__isnull=True
        ).exclude(digest_kind="")
        if delivery in DIGEST_MODES:
            waiting.exclude(digest_kind=delivery).update(digest_kind=delivery)
        elif delivery in (DeliveryMode.OFF, DeliveryMode.IN_APP):
            waiting.update(digest_kind="")
        # Switching to "at once" leaves them in the digest they wait for: it
        # still comes, and nothing is sent twice.
    return preference


def unsubscribe_token(*, tenant: Tenant, user, event: str | None = None) -> str:
    """A signed, non-expiring token for one-click unsubscribing from `event`'s
    e-mails (or from every optional e-mail, with None) in `tenant`."""
    payload = {"t": tenant.pk, "u": str(user.public_id), "e": event or ALL_EVENTS}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str, tenant: Tenant):
    """(user, event or "*") for a valid token of this tenant; NotificationError otherwise."""
    invalid = NotificationError(_("This unsubscribe link is not valid."), code="bad_token")
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(payload, dict) or payload.get("t") != tenant.pk:
        raise invalid
    user = get_user_model().objects.filter(public_id=payload.get("u")).first()
    if user is None:
        raise invalid
    return user, payload.get("e", ALL_EVENTS)


def unsubscribe(*, tenant: Tenant, user, event: str = ALL_EVENTS) -> list[str]:
    """Stop the e-mails of `event` (every optional event with "*") in `tenant`;
    the bell keeps telling. Returns the names of the events changed."""
    if event == ALL_EVENTS:
        from notifications.events import all_events

        specs = [spec for spec in all_events() if not spec.transactional]
    else:
        spec = get_event(event)
        specs = [] if spec.transactional else [spec]
    changed = []
    with transaction.atomic():
        for spec in specs:
            quiet = DeliveryMode.IN_APP if spec.in_app else DeliveryMode.OFF
            preference_set(tenant=tenant, user=user, event=spec.name, delivery=quiet)
            changed.append(spec.name)
    return changed


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


# --- Digests --------------------------------------------------------------------


def digest_period(kind: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The last complete day (or Monday-to-Monday week) before `now`, in `tz`."""
    today = now.astimezone(tz).date()
    if kind == Digest.Kind.DAILY:
        end_day = today
        start_day = end_day - timedelta(days=1)
    else:
        end_day = today - timedelta(days=today.weekday())
        start_day = end_day - timedelta(days=7)
    start = datetime.combine(start_day, time(0), tzinfo=tz)
    end = datetime.combine(end_day, time(0), tzinfo=tz)
    return start, end


def digests_build(*, now: datetime) -> list[Digest]:
    """Build the digests due at `now` and queue their e-mails; the beat task calls
    it every hour (pass `now` in tests to move the clock).

    For each tenant, each kind (daily, weekly) and each person with notifications
    waiting: one digest for the last complete period, holding every waiting
    notification created before that period's end (older ones too, should the
    beat have missed a run). Never empty: no waiting notification, no digest.
    Never twice: the (recipient, tenant, kind, period start) constraint. Never a
    notification in two digests: `digest` is set under a row lock, from NULL.
    """
    with scopes_disabled():  # reviewed: the builder walks every tenant, then scopes each
        tenant_ids = (
            Notification.objects.filter(digest__isnull=True)
            .exclude(digest_kind="")
            .values_list("tenant_id", flat=True)
            .distinct()
        )
        tenants = list(Tenant.objects.filter(pk__in=list(tenant_ids)))
    built = []
    for tenant in tenants:
        with scope(tenant=tenant):
            tz = ZoneInfo(tenant.time_zone)
            for kind in Digest.Kind.values:
                start, end = digest_period(kind, now, tz)
                recipient_ids = (
                    _waiting(tenant, kind, end)
                    .order_by()
                    .values_list("recipient_id", flat=True)
                    .distinct()
                )
                for recipient_id in list(recipient_ids):
                    digest = _digest_build_one(tenant, recipient_id, kind, start, end)
                    if digest is not None:
                        built.append(digest)
    return built


def _waiting(tenant: Tenant, kind: str, end: datetime):
    return Notification.objects.filter(
        tenant=tenant, digest_kind=kind, digest__isnull=True, created_at__lt=end
    )


def _digest_build_one(tenant, recipient_id, kind, start, end) -> Digest | None:
    with transaction.atomic():
        waiting = list(
            _waiting(tenant, kind, end)
            .filter(recipient_id=recipient_id)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        if not waiting:
            return None  # another builder took them first
        digest, created = Digest.objects.get_or_create(
            tenant=tenant,
            recipient_id=recipient_id,
            kind=kind,
            period_start=start,
            defaults={"period_end": end},
        )
        if not created:
            # This period's digest went out already; these arrived (committed)
            # after it was built and wait for the next period's.
            return None
        Notification.objects.filter(pk__in=waiting).update(digest=digest)
        delivery = EmailDelivery.objects.create(
            tenant=tenant, recipient_id=recipient_id, digest=digest
        )
        _queue_email(delivery)
    return digest


# --- Following --------------------------------------------------------------------


def follow(*, user, target_type: str, target_id, tenant: Tenant | None = None) -> Follow:
    """`user` follows the object (idempotent). `target_type` names the kind of
    object ("campaign", "idea"), `target_id` its public id."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        follow_row, _created = Follow.objects.get_or_create(
            tenant=tenant, user=user, target_type=target_type, target_id=str(target_id)
        )
    return follow_row


def unfollow(*, user, target_type: str, target_id, tenant: Tenant | None = None) -> bool:
    """Stop following; False when `user` did not follow it."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        deleted, _rows = Follow.objects.filter(
            tenant=tenant, user=user, target_type=target_type, target_id=str(target_id)
        ).delete()
    return deleted > 0


def followers_of(target_type: str, target_id, *, tenant: Tenant | None = None):
    """The active people who follow the object, as a User queryset."""
    tenant = _tenant_or_scope(tenant)
    with scope(tenant=tenant):
        user_ids = list(
            Follow.objects.filter(
                tenant=tenant, target_type=target_type, target_id=str(target_id)
            ).values_list("user_id", flat=True)
        )
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def notify_followers(
    *,
    target_type: str,
    target_id,
    event: str,
    tenant: Tenant | None = None,
    context: dict | None = None,
    exclude=(),
    dedupe_key: str | None = None,
) -> list[Notification]:
    """`notify` every follower of the object, except the people in `exclude`
    (the actor, or someone told already by a more precise event)."""
    tenant = _tenant_or_scope(tenant)
    excluded = {getattr(person, "pk", person) for person in exclude}
    told = []
    for follower in followers_of(target_type, target_id, tenant=tenant):
        if follower.pk in excluded:
            continue
        notification = notify(
            recipient=follower,
            event=event,
            tenant=tenant,
            context=context,
            dedupe_key=dedupe_key,
        )
        if notification is not None:
            told.append(notification)
    return told
