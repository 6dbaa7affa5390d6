"""The jury's periodic work (one beat entry, `juries-reminders` in config/celery.py):
reminders before the deadline and to the chair once it has passed.

`jury_reminders` finds the shortlists under review whose deadline is less than
24 hours away, or past, and queues one `jury_round_reminders_task` per round,
run inside its tenant's scope. Both are safe to run twice or on two workers at
once: every reminder has a dedupe key (services.reminders_send).

Shortlists themselves are built by the round cycle (campaigns/round_cycle.py),
the one task that takes every round through its states, through the hooks in
juries/round_hooks.py.
"""

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from core.tasks import tenant_task
from juries import services
from juries.models import Shortlist


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


@shared_task
def jury_reminders() -> int:
    due = due_shortlists()
    for tenant_id, shortlist_id in due:
        jury_round_reminders_task.delay(tenant_id=tenant_id, shortlist_id=shortlist_id)
    return len(due)


@tenant_task
def jury_round_reminders_task(*, tenant_id: int, shortlist_id: int) -> int:
    shortlist = Shortlist.objects.filter(pk=shortlist_id).first()
    if shortlist is None:
        return 0
    return services.reminders_send(shortlist=shortlist)
