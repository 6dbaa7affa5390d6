"""The periodic tick that keeps challenges' stored statuses in step with the clock.

`campaigns_tick` (every minute, config/celery.py) finds the challenges with
something due — a start or an end passed, a round to open — and queues one
`campaign_advance_task` per challenge, in its tenant's scope. Both are safe to
run twice or on two workers at once (see services.campaign_advance).
"""

from celery import shared_task
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from campaigns import services
from campaigns.models import Campaign, Round
from core.tasks import tenant_task


def due_campaigns(now=None) -> list[tuple[int, int]]:
    """(tenant id, campaign id) of every challenge with a status change due."""
    now = now or timezone.now()
    due = (
        Q(status=Campaign.Status.SCHEDULED, starts_at__lte=now)
        | Q(status=Campaign.Status.OPEN, ends_at__lte=now)
        | Q(
            status__in=[Campaign.Status.SCHEDULED, Campaign.Status.OPEN, Campaign.Status.CLOSED],
            rounds__state=Round.State.SCHEDULED,
            rounds__starts_at__lte=now,
        )
    )
    # Across tenants, on purpose: the tick looks for due work everywhere, then
    # each challenge is advanced inside its own tenant's scope.
    with scopes_disabled():
        return list(
            Campaign.objects.filter(due).values_list("tenant_id", "pk").distinct().order_by("pk")
        )


@shared_task
def campaigns_tick() -> int:
    due = due_campaigns()
    for tenant_id, campaign_id in due:
        campaign_advance_task.delay(tenant_id=tenant_id, campaign_id=campaign_id)
    return len(due)


@tenant_task
def campaign_advance_task(*, tenant_id: int, campaign_id: int) -> bool:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return False
    return services.campaign_advance(campaign=campaign)
