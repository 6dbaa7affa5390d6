"""notify(): one notice in the app, and an e-mail queued when the person wants it."""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import get_scope, scope

from notifications import tasks
from notifications.events import Event, get_event
from notifications.models import (
    DIGEST_MODES,
    DeliveryMode,
    EmailDelivery,
    Notification,
    Preference,
)
from tenants.models import Tenant

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
