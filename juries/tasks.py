"""The jury's periodic work (one beat entry, `juries-tick` in config/celery.py).

`jury_tick` looks for due work across tenants and queues one task per round,
run inside its tenant's scope:

- rounds whose voting is over and which have no shortlist yet: the shortlist
  is built (the ranking frozen first), jurors assigned and told
  (`shortlist_build_task`);
- shortlists under review whose deadline is less than 24 hours away, or past:
  reminders to jurors with ideas still to score, then to the chair
  (`jury_round_reminders_task`).

Everything is safe to run twice or on two workers at once: the build is
idempotent, and every reminder has a dedupe key (services.reminders_send).
"""

import logging

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from campaigns.models import Campaign, Round
from config.api import DomainError
from juries import services
from juries.models import Shortlist
from tenants.tasks import tenant_task

logger = logging.getLogger(__name__)


def due_shortlists(now=None) -> list[tuple[int, int]]:
    """(tenant id, shortlist id) of every shortlist a reminder may be due for."""
    now = now or timezone.now()
    # Across tenants, on purpose: the tick looks for due work everywhere, then
    # each round is handled inside its own tenant's scope.
    with scopes_disabled():
        return list(
            Shortlist.objects.filter(services.shortlists_due_for_reminders(now))
            .values_list("tenant_id", "pk")
            .order_by("pk")
        )


def rounds_due_for_shortlist(now=None) -> list[tuple[int, int]]:
    """(tenant id, round id) of every round whose voting is over without a shortlist."""
    now = now or timezone.now()
    with scopes_disabled():
        return list(
            Round.objects.filter(
                voting_ends_at__lte=now,
                state__in=[Round.State.SCHEDULED, Round.State.OPEN, Round.State.VOTING_CLOSED],
                shortlist__isnull=True,
            )
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .values_list("tenant_id", "pk")
            .order_by("pk")
        )


@shared_task
def jury_tick() -> int:
    rounds = rounds_due_for_shortlist()
    for tenant_id, round_id in rounds:
        shortlist_build_task.delay(tenant_id=tenant_id, round_id=round_id)
    shortlists = due_shortlists()
    for tenant_id, shortlist_id in shortlists:
        jury_round_reminders_task.delay(tenant_id=tenant_id, shortlist_id=shortlist_id)
    return len(rounds) + len(shortlists)


@tenant_task
def shortlist_build_task(*, tenant_id: int, round_id: int) -> bool:
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return False
    try:
        services.shortlist_build(round=round_)
    except DomainError as error:  # e.g. votes reopened meanwhile: the next tick tries again
        logger.warning("shortlist of round %s not built: %s", round_id, error.message)
        return False
    return True


@tenant_task
def jury_round_reminders_task(*, tenant_id: int, shortlist_id: int) -> int:
    shortlist = Shortlist.objects.filter(pk=shortlist_id).first()
    if shortlist is None:
        return 0
    return services.reminders_send(shortlist=shortlist)
