"""The voting tick: rankings frozen when a round's voting ends, and the
"this round" counters moved when the next round starts.

`voting_tick` (every minute, config/celery.py) finds, across tenants, the
rounds whose voting is over and not frozen yet, and the challenges whose
`round_vote_count` still counts an earlier round; it queues one task per round
or challenge, each run in its tenant's scope. Both services are idempotent:
the tasks may run twice, or on two workers at once.
"""

from celery import shared_task
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from campaigns.models import Campaign, Round
from core.tasks import tenant_task
from voting import services
from voting.models import RankingSnapshot, RoundCounter


def due_work(now=None) -> dict[str, list[tuple[int, int]]]:
    """{"freeze": [(tenant id, round id)], "switch": [(tenant id, campaign id)]}."""
    now = now or timezone.now()
    # Across tenants, on purpose: the tick looks for due work everywhere, then
    # each piece runs inside its own tenant's scope.
    with scopes_disabled():
        frozen = RankingSnapshot.objects.filter(round=OuterRef("pk"))
        freeze = list(
            Round.objects.filter(voting_ends_at__lte=now)
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .filter(~Exists(frozen))
            .values_list("tenant_id", "pk")
            .order_by("pk")
        )
        counted = RoundCounter.objects.filter(campaign=OuterRef("campaign"), round=OuterRef("pk"))
        switch = list(
            Round.objects.filter(starts_at__lte=now, ends_at__gt=now)
            .filter(Q(kind=Round.Kind.WEEKLY) | Q(campaign__cadence=Campaign.Cadence.SINGLE))
            .filter(campaign__status__in=[Campaign.Status.SCHEDULED, Campaign.Status.OPEN])
            .filter(~Exists(counted))
            .values_list("tenant_id", "campaign_id")
            .distinct()
            .order_by("campaign_id")
        )
    return {"freeze": freeze, "switch": switch}


@shared_task
def voting_tick() -> int:
    due = due_work()
    for tenant_id, round_id in due["freeze"]:
        ranking_freeze_task.delay(tenant_id=tenant_id, round_id=round_id)
    for tenant_id, campaign_id in due["switch"]:
        round_counter_switch_task.delay(tenant_id=tenant_id, campaign_id=campaign_id)
    return len(due["freeze"]) + len(due["switch"])


@tenant_task
def ranking_freeze_task(*, tenant_id: int, round_id: int) -> bool:
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return False
    services.ranking_freeze(round=round_)
    return True


@tenant_task
def round_counter_switch_task(*, tenant_id: int, campaign_id: int) -> bool:
    campaign = Campaign.objects.filter(pk=campaign_id).select_related("tenant").first()
    if campaign is None:
        return False
    return services.round_counter_switch(campaign=campaign)
