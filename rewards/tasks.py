"""The round cycle's beat task (`rewards-round-cycle`, every minute, in
config/celery.py) and the one task per round it queues.

`round_cycle_tick` reads the clock once and queues, for that moment, one
`campaign_rounds_open_task` per challenge with a round due to open and one
`round_advance_task` per round with a step due (cycle.due_rounds). Each runs
in its tenant's scope and is safe twice or on two workers at once (cycle.py).
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from campaigns.models import Campaign, Round
from core.tasks import tenant_task
from rewards import cycle


@shared_task
def round_cycle_tick() -> int:
    now = timezone.now()  # the one reading of the clock for this tick
    stamp = now.isoformat()
    campaigns = cycle.due_campaigns(now)
    for tenant_id, campaign_id in campaigns:
        campaign_rounds_open_task.delay(tenant_id=tenant_id, campaign_id=campaign_id, now=stamp)
    rounds = cycle.due_rounds(now)
    for tenant_id, round_id in rounds:
        round_advance_task.delay(tenant_id=tenant_id, round_id=round_id, now=stamp)
    return len(campaigns) + len(rounds)


@tenant_task
def campaign_rounds_open_task(*, tenant_id: int, campaign_id: int, now: str) -> bool:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return False
    return cycle.campaign_rounds_open(campaign=campaign, now=dt.datetime.fromisoformat(now))


@tenant_task
def round_advance_task(*, tenant_id: int, round_id: int, now: str) -> list[str]:
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return []
    return cycle.round_advance(round=round_, now=dt.datetime.fromisoformat(now))
