"""The one beat entry of challenges and rounds, and the tasks it queues.

`lifecycle_tick` (every minute, config/celery.py) reads the clock once and
queues, for that moment, one `campaign_status_task` per challenge whose stored
status is behind the clock and one `round_advance_task` per round with a step
due (round_cycle.due_rounds). Each runs in its tenant's scope and is safe twice
or on two workers at once (round_cycle.py).
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from campaigns import round_cycle, services
from campaigns.models import Campaign, Round
from core.tasks import tenant_task


@shared_task
def lifecycle_tick() -> int:
    now = timezone.now()  # the one reading of the clock for this tick
    stamp = now.isoformat()
    campaigns = round_cycle.due_campaigns(now)
    for tenant_id, campaign_id in campaigns:
        campaign_status_task.delay(tenant_id=tenant_id, campaign_id=campaign_id, now=stamp)
    rounds = round_cycle.due_rounds(now)
    for tenant_id, round_id in rounds:
        round_advance_task.delay(tenant_id=tenant_id, round_id=round_id, now=stamp)
    return len(campaigns) + len(rounds)


@tenant_task
def campaign_status_task(*, tenant_id: int, campaign_id: int, now: str) -> bool:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return False
    return services.campaign_advance(campaign=campaign, now=dt.datetime.fromisoformat(now))


@tenant_task
def round_advance_task(*, tenant_id: int, round_id: int, now: str) -> list[str]:
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return []
    return round_cycle.round_advance(round=round_, now=dt.datetime.fromisoformat(now))
