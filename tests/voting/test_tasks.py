"""Voting's part of the round cycle, on a real Celery worker: rankings frozen
once voting is over, "this round" counters moved to the round that opens;
twice changes nothing."""

import pytest
from django_scopes import scope, scopes_disabled

from campaigns import tasks
from tests.waiting import wait_for
from voting.models import RankingSnapshot, RoundCounter

from .conftest import fresh


@pytest.mark.django_db(transaction=True)
def test_the_tick_freezes_and_switches_on_a_worker_and_twice_changes_nothing(
    genios, make_campaign, submit, make_voter, cast, owner, celery_worker
):
    from campaigns import services as campaign_services

    idea = submit()
    cast(idea, make_voter())
    closed = make_campaign(slug="cerrado")
    cast(submit(campaign=closed, title="Idea del reto cerrado"), make_voter())
    with scope(tenant=closed.tenant):
        campaign_services.campaign_close(campaign=closed, actor=owner, reason="Fin")
    tasks.lifecycle_tick.delay()
    wait_for(lambda: _frozen() == {closed.pk})
    with scope(tenant=genios.tenant):
        counter = RoundCounter.objects.select_related("round").get(campaign=genios)
    assert counter.round.index == 1
    assert fresh(idea).round_vote_count == 1
    before = (_snapshots(), _counters())
    tasks.lifecycle_tick()  # a second tick, run here: nothing more to freeze or switch
    assert (_snapshots(), _counters()) == before


def _frozen() -> set:
    with scopes_disabled():
        return set(RankingSnapshot.objects.values_list("round__campaign_id", flat=True))


def _snapshots() -> int:
    with scopes_disabled():
        return RankingSnapshot.objects.count()


def _counters() -> int:
    with scopes_disabled():
        return RoundCounter.objects.count()
