"""Insights' tasks, run by the beat (config/celery.py): the dashboard's
figures, folded every minute, and the weekly reports, hourly. They call the
services, nothing more."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.tasks import tenant_task
from insights import services
from tenants.models import Tenant

# After local midnight, yesterday is rebuilt once more for this long: its last
# views and votes may have been folded after the day ended.
LATE_WINDOW = dt.timedelta(hours=1)


@shared_task
def figures_fold() -> int:
    """Fold the queued page views, then rebuild today's figures of every
    tenant (and yesterday's, in the first hour of the day or when views of it
    arrived late). Returns the number of (tenant, day) rebuilds queued."""
    touched = services.visits_drain()
    now = timezone.now()
    for tenant in Tenant.objects.all():
        today = services.local_day(tenant, now)
        touched.add((tenant.pk, today))
        since_midnight = now - services.day_bounds(tenant, today)[0]
        if since_midnight < LATE_WINDOW:
            touched.add((tenant.pk, today - dt.timedelta(days=1)))
    for tenant_id, day in sorted(touched):
        transaction.on_commit(
            lambda t=tenant_id, d=day: figures_refresh.delay(tenant_id=t, day=d.isoformat())
        )
    return len(touched)


@tenant_task
def figures_refresh(*, tenant_id: int, day: str) -> bool:
    tenant = Tenant.objects.get(pk=tenant_id)
    return services.figures_refresh(tenant=tenant, day=dt.date.fromisoformat(day))


@shared_task
def weekly_reports_send() -> int:
    """The weekly reports due now (beat, hourly). Safe to run twice."""
    return len(services.weekly_reports_send_due(now=timezone.now()))
