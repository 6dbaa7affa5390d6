"""The round cycle: every due round taken through its states, by one beat task.

    scheduled → open → voting_closed → in_review → decided → announced

It lives in rewards, the highest app, because it drives all the others: the
challenge's rounds open (campaigns), the ranking is frozen (voting), the
shortlist is built and jurors are told (juries), the chair's decision is
noticed (juries), and the round is announced here — awards and payouts
created, winners and participants told, winners shown on the challenge page.

`round_advance(round=…, now=…)` takes one round as far as it can go at `now`,
one step at a time. Each step runs in its own transaction that first claims
the round's row (`select_for_update(skip_locked=True)`) and checks its state:
a second worker on the same round skips it (the next tick looks again), and a
step done by a worker that crashed right after is seen as done. Every step is
idempotent in itself (the services of the other apps are; awards and payouts
are `get_or_create` against unique constraints; notifications have dedupe
keys), and announcing is three steps — awards and payouts, telling people,
then the state — so a run that stops between two of them is finished by the
next tick, with nothing twice.

The clock is read once per tick (`tasks.round_cycle_tick`) and passed down as
`now`, so every round of a tick sees the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django_scopes import scopes_disabled

from accounts.services import audit_record
from campaigns import services as campaign_services
from campaigns.models import Campaign, Prize, Round
from campaigns.pages import round_label
from core.errors import DomainError
from ideas.models import Coauthor, Idea
from juries import services as jury_services
from juries.models import Decision, DecisionWinner, Shortlist, ShortlistEntry
from notifications.services import followers_of, notify
from rewards import services
from rewards.models import Payout
from voting import services as voting_services

logger = logging.getLogger(__name__)

S = Round.State
TAKING_VOTES = (S.SCHEDULED, S.OPEN)


# --- What is due -----------------------------------------------------------------------


def due_campaigns(now: dt.datetime) -> list[tuple[int, int]]:
    """(tenant id, campaign id) of challenges with a round due to open."""
    with scopes_disabled():  # the tick looks across tenants; each piece runs in its scope
        return list(
            Round.objects.filter(state=S.SCHEDULED, starts_at__lte=now)
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .values_list("tenant_id", "campaign_id")
            .distinct()
            .order_by("campaign_id")
        )


def due_rounds(now: dt.datetime) -> list[tuple[int, int]]:
    """(tenant id, round id) of every round with a step due at `now`: voting
    over but not closed, closed without a shortlist, in review with the chair's
    decision (or an empty shortlist past its deadline), decided."""
    due = (
        Q(state__in=TAKING_VOTES, voting_ends_at__lte=now)
        | Q(state=S.VOTING_CLOSED)
        | Q(state=S.IN_REVIEW, has_decision=True)
        | Q(state=S.IN_REVIEW, has_entries=False, lapsed=True)
        | Q(state=S.DECIDED)
    )
    with scopes_disabled():
        decided = Decision.objects.filter(round=OuterRef("pk"))
        entries = ShortlistEntry.objects.filter(shortlist__round=OuterRef("pk"))
        lapsed = Shortlist.objects.filter(round=OuterRef("pk"), deadline__lte=now)
        return list(
            Round.objects.exclude(campaign__status=Campaign.Status.DRAFT)
            .annotate(
                has_decision=Exists(decided), has_entries=Exists(entries), lapsed=Exists(lapsed)
            )
            .filter(due)
            .values_list("tenant_id", "pk")
            .order_by("pk")
        )


# --- One round ---------------------------------------------------------------------------


def _claim(round_id: int) -> Round | None:
    """The round's row, locked for this transaction, or None when another
    worker holds it (it is on this round now: leave it to it)."""
    return (
        Round.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("campaign", "campaign__tenant", "tenant")
        .filter(pk=round_id)
        .first()
    )


def _grand_waits(round_: Round) -> bool:
    """A grand round whose prize round winners may not win waits until every
    weekly round is decided, so the shortlist can leave their winners out."""
    if round_.kind != Round.Kind.GRAND or round_.campaign.weekly_winners_can_win_grand:
        return False
    return (
        Round.objects.filter(campaign_id=round_.campaign_id, kind=Round.Kind.WEEKLY)
        .exclude(state__in=[S.DECIDED, S.ANNOUNCED])
        .exists()
    )


def _steps(state: str, voting_ends_at: dt.datetime, now: dt.datetime) -> list:
    if state in TAKING_VOTES and voting_ends_at <= now:
        return [_close_voting]
    if state == S.VOTING_CLOSED:
        return [_start_review]
    if state == S.IN_REVIEW:
        return [_notice_decision]
    if state == S.DECIDED:
        return [announce_awards, announce_tell, announce_publish]
    return []


def round_advance(*, round: Round, now: dt.datetime) -> list[str]:
    """Take the round through every step due at `now`; returns the steps done
    (empty when nothing was due or another worker holds the round)."""
    done: list[str] = []
    for _pass in range(6):  # at most one pass per state
        current = Round.objects.filter(pk=round.pk).values_list("state", "voting_ends_at").first()
        if current is None:
            return done
        state, voting_ends_at = current
        steps = _steps(state, voting_ends_at, now)
        if not steps:
            return done
        if steps == [_close_voting]:
            # Outside the claim: the freeze waits for votes being written, which
            # must not wait for the round's row (the jury's build does the same).
            voting_services.ranking_freeze(round=round, now=now)
        for step in steps:
            with transaction.atomic():
                locked = _claim(round.pk)
                if locked is None:
                    return done  # another worker is on it
                if locked.state != state:
                    break  # moved meanwhile: look again
                outcome = step(locked, now)
            if outcome is None:
                return done
            done.append(outcome)
    return done


def _close_voting(round_: Round, now: dt.datetime) -> str | None:
    campaign_services.round_transition(round=round_, to=S.VOTING_CLOSED, from_states=TAKING_VOTES)
    return "voting_closed"


def _start_review(round_: Round, now: dt.datetime) -> str | None:
    if _grand_waits(round_):
        return None
    try:
        jury_services.shortlist_build(round=round_, now=now)
    except DomainError as error:
        logger.warning("round %s: shortlist not built: %s", round_.pk, error.message)
        return None
    return "in_review"


def _notice_decision(round_: Round, now: dt.datetime) -> str | None:
    """The chair's decision moves the round to decided (juries does it with the
    decision); this notices one that did not, and closes a review that had
    nothing to judge once its deadline has passed."""
    if Decision.objects.filter(round=round_).exists():
        campaign_services.round_transition(round=round_, to=S.DECIDED, from_states=(S.IN_REVIEW,))
        return "decided"
    shortlist = Shortlist.objects.filter(round=round_).first()
    if shortlist is None or shortlist.deadline > now or shortlist.entries.exists():
        return None
    campaign_services.round_transition(round=round_, to=S.DECIDED, from_states=(S.IN_REVIEW,))
    audit_record(
        tenant=round_.tenant,
        actor=None,
        action="round.nothing_to_judge",
        target=round_,
        data={"deadline": shortlist.deadline.isoformat()},
    )
    return "decided"


# The announcement, in three steps, each committed on its own. The round stays
# `decided` until the last, so a run that stops after any of them is taken up
# again by the next tick, and the steps already done find their work done.


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


def announce_publish(round_: Round, now: dt.datetime) -> str:
    """Step 3: the round is announced: its winners show on the challenge page."""
    campaign_services.round_transition(round=round_, to=S.ANNOUNCED, from_states=(S.DECIDED,))
    return "announced"


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


# --- Challenges whose rounds open -----------------------------------------------------------


def campaign_rounds_open(*, campaign: Campaign, now: dt.datetime) -> bool:
    """Rounds whose start has passed open (and the challenge's status follows
    the clock): the campaigns service, at the cycle's `now`."""
    return campaign_services.campaign_advance(campaign=campaign, now=now)
