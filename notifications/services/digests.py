"""Daily and weekly digests: built once per period, in each person's time zone."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django_scopes import scope, scopes_disabled

from notifications.models import (
    Digest,
    EmailDelivery,
    Notification,
)
from notifications.services.sending import _queue_email
from tenants.models import Tenant

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
