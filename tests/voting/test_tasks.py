"""The voting tick, on a real Celery worker: rankings frozen once voting is over,
"this round" counters moved to the round people are in; twice changes nothing."""

import datetime as dt

import pytest
from django_scopes import scope, scopes_disabled

from tests.campaigns.conftest import this_monday
from voting import tasks
from voting.models import RankingSnapshot, RoundCounter

from .conftest import fresh


def test_due_work_lists_rounds_to_freeze_and_counters_to_move(genios):
    with scope(tenant=genios.tenant):
        first = genios.rounds.get(index=1)
    due = tasks.due_work(now=first.voting_ends_at + dt.timedelta(seconds=1))
    assert due["freeze"] == [(genios.tenant_id, first.pk)]
    assert due["switch"] == [(genios.tenant_id, genios.pk)]
    assert tasks.due_work()["freeze"] == []


def test_drafts_have_nothing_due(ing, owner):
    from campaigns import services as campaign_services
    from campaigns.demo_challenges import genios_del_ahorro

    with scope(tenant=ing):
        draft = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
    assert tasks.due_work(now=draft.ends_at + dt.timedelta(days=1)) == {"freeze": [], "switch": []}


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
    tasks.voting_tick.delay()
    _wait_for(lambda: _snapshots() == 2 and _counters() == 1)
    with scope(tenant=genios.tenant):
        counter = RoundCounter.objects.select_related("round").get(campaign=genios)
        frozen = set(RankingSnapshot.objects.values_list("round__campaign_id", flat=True))
    assert counter.round.index == 1 and frozen == {closed.pk}
    assert fresh(idea).round_vote_count == 1
    assert tasks.voting_tick() == 0  # nothing due any more
    assert _snapshots() == 2


def _snapshots() -> int:
    with scopes_disabled():
        return RankingSnapshot.objects.count()


def _counters() -> int:
    with scopes_disabled():
        return RoundCounter.objects.count()


def _wait_for(condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")
