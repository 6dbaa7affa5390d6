"""Votes moved when a duplicate idea is merged, and erased with a person."""

from __future__ import annotations

from django.utils import timezone

from campaigns.models import Campaign
from ideas.models import Idea
from voting.models import (
    RoundCounter,
    Vote,
)
from voting.services.common import _advisory_locks
from voting.services.counters import counters_adjust, counters_recount
from voting.services.rankings import _freeze_due_rounds

# --- What other apps ask of voting --------------------------------------------------------------


def votes_merge(*, duplicate: Idea, into: Idea) -> None:
    """Merge handler (ideas.extensions): the duplicate's votes move to `into`;
    a person who voted for both keeps one vote. Runs inside `idea_merge`'s
    transaction with both ideas' rows locked. Frozen rankings keep what they
    froze; `into`'s counters are recounted from its votes."""
    both = Vote.objects.filter(tenant=into.tenant_id, idea=into).values("voter_id")
    Vote.objects.filter(tenant=duplicate.tenant_id, idea=duplicate, voter_id__in=both).delete()
    Vote.objects.filter(tenant=duplicate.tenant_id, idea=duplicate).update(idea=into)
    counting = (
        RoundCounter.objects.filter(campaign_id=into.campaign_id)
        .values_list("round_id", flat=True)
        .first()
    )
    counters_recount(ideas=Idea.objects.filter(pk__in=[into.pk, duplicate.pk]), round_id=counting)
    for idea in (into, duplicate):
        idea.vote_count, idea.round_vote_count = (
            Idea.objects.filter(pk=idea.pk).values_list("vote_count", "round_vote_count").get()
        )


def votes_erase(*, user, tenant) -> int:
    """The person's votes in the tenant are withdrawn (people's data: erasure or
    account deletion) and the counters corrected; frozen rankings stay as they
    were. Runs inside the caller's transaction and the tenant's scope."""
    votes = list(
        Vote.objects.filter(tenant=tenant, voter=user).select_related("idea").order_by("pk")
    )
    if not votes:
        return 0
    now = timezone.now()
    campaign_ids = {v.idea.campaign_id for v in votes}
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        _freeze_due_rounds(campaign, now)
    _advisory_locks(counters_shared=campaign_ids)
    Vote.objects.filter(pk__in=[v.pk for v in votes]).delete()
    counters_adjust([(v, -1) for v in votes if v.is_counted])
    return len(votes)
