"""A whole month of the reference challenge through the real Celery tasks, on
a real worker, with the clock moved (time-machine moves the whole process's
clock, the worker's thread included; the tick reads it once).

Each week: ideas are submitted and voted for; after the week the tick closes
the round (ranking frozen, shortlist built, jurors told), the jury scores and
the chair confirms, the next tick announces it (award, payout, winner told).
The grand round follows the last week. In the end: four weekly winners and
one grand winner, four weekly payouts and one grand payout, nothing else.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django_scopes import scope, scopes_disabled

from campaigns import tasks
from campaigns.models import Round
from notifications.models import Notification
from rewards.models import Award, Payout
from tests.campaigns.conftest import next_monday
from tests.waiting import wait_for

from .conftest import judge

pytestmark = pytest.mark.django_db(transaction=True)


def states(campaign) -> list[str]:
    with scopes_disabled():
        return list(
            Round.objects.filter(campaign=campaign)
            .order_by("index")
            .values_list("state", flat=True)
        )


def test_a_month_of_genios_del_ahorro_through_the_round_cycle(
    ing, make_challenge, seat_jury, make_person, chair, jorge, elena, celery_worker
):
    from ideas import services as idea_services
    from voting import services as voting_services

    start = next_monday()
    with time_machine.travel(start - dt.timedelta(days=1), tick=True) as clock:
        genios = make_challenge(starts_at=start)
        seat_jury(genios)
        voters = [make_person() for _ in range(6)]
        with scopes_disabled():
            rounds = list(Round.objects.filter(campaign=genios).order_by("index"))
        weekly, grand = rounds[:4], rounds[4]
        assert [r.kind for r in weekly] == ["weekly"] * 4 and grand.kind == "grand"

        winners = []
        for week, round_ in enumerate(weekly, start=1):
            clock.move_to(round_.starts_at + dt.timedelta(days=2))
            tasks.lifecycle_tick.delay()  # the round opens (the round cycle)
            wait_for(lambda round_=round_: states(genios)[round_.index - 1] == "open")
            with scope(tenant=ing):
                best = idea_services.idea_submit(
                    campaign=genios, author=make_person(), title=f"Truco {week}", body="Ahorra."
                )
                other = idea_services.idea_submit(
                    campaign=genios, author=make_person(), title=f"Otro {week}", body="Gasta."
                )
                for n, voter in enumerate(voters):
                    voting_services.vote_cast(idea=best if n < 4 else other, voter=voter)
            winners.append(best)

            # The week is over: one tick closes the round and sends it to the jury.
            clock.move_to(round_.voting_ends_at + dt.timedelta(minutes=1))
            tasks.lifecycle_tick.delay()
            # After the last week, the grand round closes too (it ends with the challenge).
            closing = [round_.index - 1] if week < 4 else [3, 4]
            wait_for(lambda closing=closing: all(states(genios)[i] == "in_review" for i in closing))
            with scope(tenant=ing):
                assert Notification.objects.filter(
                    recipient=chair, event="jury.shortlist_ready"
                ).count() == (week if week < 4 else 5)  # the grand round closes with week 4
            clock.shift(dt.timedelta(hours=5))
            judge(round_, best, chair=chair, jurors=[chair, jorge, elena], now=None)
            clock.shift(dt.timedelta(minutes=1))
            tasks.lifecycle_tick.delay()
            wait_for(lambda round_=round_: states(genios)[round_.index - 1] == "announced")

        # The grand round: over the whole challenge; the first week's tip wins it.
        assert states(genios)[4] == "in_review"
        clock.shift(dt.timedelta(hours=1))
        judge(grand, winners[0], chair=chair, jurors=[chair, jorge, elena], now=None)
        tasks.lifecycle_tick.delay()
        wait_for(lambda: states(genios) == ["announced"] * 5)
        assert tasks.lifecycle_tick() == 0  # nothing left to do

    with scope(tenant=ing):
        awards = list(Award.objects.select_related("round").order_by("round__index"))
        payouts = list(Payout.objects.select_related("award").order_by("award__round__index"))
        won = Notification.objects.filter(event="idea.won")
        assert [(a.round.kind, a.idea_id, a.amount) for a in awards] == [
            *[("weekly", w.pk, Decimal("500.00")) for w in winners],
            ("grand", winners[0].pk, Decimal("1500.00")),
        ]
        assert [(p.award.round.index, p.recipient_id, p.amount, p.state) for p in payouts] == [
            *[
                (i, w.author_id, Decimal("500.00"), "awaiting_details")
                for i, w in enumerate(winners, 1)
            ],
            (5, winners[0].author_id, Decimal("1500.00"), "awaiting_details"),
        ]
        assert won.count() == 5
        assert sum(p.amount for p in payouts) == Decimal("3500.00")
