"""The announcement of a round: what the prize engine does when the round
cycle (campaigns/round_cycle.py) takes a decided round to announced.

Two hooks of the cycle's `announce` point, registered in RewardsConfig.ready()
and run in this order, each committed on its own while the round stays
`decided` (the cycle moves it to `announced` after the last):

1. `announce_awards`: one award per winner whose place has a prize, with its
   payouts (`get_or_create` against unique constraints);
2. `announce_tell`: the winners hear they won, the round's participants and the
   challenge's followers that the results are out (dedupe keys).

A run that stops between them is finished by the next tick, with nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import translation

from campaigns.models import Campaign, Prize, Round
from campaigns.pages import round_label
from ideas.models import Coauthor, Idea
from juries.models import DecisionWinner
from notifications.services import followers_of, notify
from rewards import services
from rewards.models import Payout

logger = logging.getLogger(__name__)


def announce_awards(round_: Round, now: dt.datetime) -> str:
    """Step 1: one award per winner whose place has a prize, with its payouts."""
    winners = list(
        DecisionWinner.objects.filter(decision__round=round_)
        .select_related("idea")
        .order_by("rank")
    )
    prizes = {
        p.rank: p
        for p in Prize.objects.filter(campaign_id=round_.campaign_id, round_kind=round_.kind)
    }
    for winner in winners:
        prize = prizes.get(winner.rank)
        if prize is None:  # a place without a prize: announced, nothing to pay
            continue
        services.award_ensure(
            round=round_, prize=prize, idea=winner.idea, rank=winner.rank, now=now
        )
    return "awards"


def _round_name(round_: Round, user) -> str:
    language = getattr(user, "language", "") or round_.campaign.tenant.default_language
    with translation.override(language):
        return f"{round_.campaign.title} · {round_label(round_.campaign, round_)}"


def _participants(round_: Round) -> set[int]:
    """Authors and co-authors of the ideas the round judged."""
    ideas = Idea.objects.filter(campaign_id=round_.campaign_id, state=Idea.State.PUBLISHED)
    if round_.kind == Round.Kind.WEEKLY and (
        round_.campaign.round_covers == Campaign.RoundCovers.SUBMITTED_IN_ROUND
    ):
        ideas = ideas.filter(round=round_)
    people = set(ideas.exclude(author=None).values_list("author_id", flat=True))
    people |= set(
        Coauthor.objects.filter(
            idea__in=ideas, status=Coauthor.Status.ACCEPTED, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    return people


def announce_tell(round_: Round, now: dt.datetime) -> str:
    """Step 2: the winners hear they won, the round's participants and the
    challenge's followers that the results are out. Dedupe keys: once each."""
    from django.contrib.auth import get_user_model

    tenant = round_.campaign.tenant
    winners = set()
    payouts = (
        Payout.objects.filter(award__round=round_)
        .exclude(state=Payout.State.CANCELLED)
        .select_related("recipient", "award", "award__idea")
    )
    for payout in payouts:
        if payout.recipient is None:
            continue
        winners.add(payout.recipient_id)
        idea = payout.award.idea
        notify(
            recipient=payout.recipient,
            event="idea.won",
            tenant=tenant,
            context={
                "idea_title": payout.award.idea_title,
                "prize": services.money_text(payout.amount, payout.currency, payout.recipient),
                "url": services.MY_PAYOUTS_URL
                if idea is None
                else f"{services.MY_PAYOUTS_URL}?idea={idea.public_id}",
            },
            dedupe_key=f"idea.won:{payout.award.public_id}:{payout.recipient_id}",
        )
    people = _participants(round_)
    people |= set(
        followers_of("campaign", round_.campaign.public_id, tenant=tenant).values_list(
            "pk", flat=True
        )
    )
    people -= winners
    url = f"/challenges/{round_.campaign.slug}/winners/"
    for person in get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk"):
        notify(
            recipient=person,
            event="round.results",
            tenant=tenant,
            context={
                "campaign_title": round_.campaign.title,
                "round_name": _round_name(round_, person),
                "url": url,
            },
            dedupe_key=f"round.results:{round_.public_id}",
        )
    return "told"
