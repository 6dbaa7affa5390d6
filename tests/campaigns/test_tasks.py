"""The round cycle: its table of transitions, its one beat entry, and the tick
through a real Celery worker on the real Redis broker."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEntry
from campaigns import round_cycle, services, tasks
from campaigns.models import Campaign, Round
from tests.waiting import wait_for

S = Round.State


def _published(make_challenge, ing, owner, ready_settings):
    """A published two-week challenge starting tomorrow (three rounds: two weeks, grand)."""
    from django.utils import timezone

    starts_at = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    return make_challenge(
        ing,
        owner,
        publish=True,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(days=14),
        **ready_settings(),
    )


def test_the_round_transitions_are_declared_once():
    table = [(t.source, t.target, t.before, t.effect) for t in round_cycle.TRANSITIONS]
    assert table == [
        ((S.SCHEDULED,), S.OPEN, None, "opened"),
        ((S.SCHEDULED, S.OPEN), S.VOTING_CLOSED, "voting_closing", None),
        ((S.VOTING_CLOSED,), S.IN_REVIEW, None, "review_start"),
        ((S.IN_REVIEW,), S.DECIDED, None, "deciding"),
        ((S.DECIDED,), S.ANNOUNCED, None, "announce"),
    ]
    # Every app's part is plugged in through the declared points.
    assert round_cycle.hooks("opened") and round_cycle.hooks("voting_closing")
    assert round_cycle.hooks("review_start") and round_cycle.hooks("announce")


@pytest.mark.django_db
def test_a_step_outside_the_table_is_refused(make_challenge, ing, owner, ready_settings):
    campaign = _published(make_challenge, ing, owner, ready_settings)
    with scope(tenant=ing):
        round_ = campaign.rounds.order_by("index").first()
        with pytest.raises(ValueError):
            services.round_transition(round=round_, to=S.ANNOUNCED, from_states=(S.SCHEDULED,))
        round_.refresh_from_db()
    assert round_.state == S.SCHEDULED


def test_one_beat_entry_moves_rounds():
    from config.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["rounds"] == {"task": "campaigns.tasks.lifecycle_tick", "schedule": 60.0}
    round_tasks = {"voting.tasks.voting_tick", "rewards.tasks.round_cycle_tick"}
    assert not round_tasks & {entry["task"] for entry in schedule.values()}


@pytest.mark.django_db
def test_the_challenge_status_does_not_open_rounds(make_challenge, ing, owner, ready_settings):
    campaign = _published(make_challenge, ing, owner, ready_settings)
    with scope(tenant=ing):
        assert services.campaign_advance(campaign=campaign, now=campaign.starts_at)
        states = set(campaign.rounds.values_list("state", flat=True))
    assert states == {S.SCHEDULED}  # rounds open through the round cycle only


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_advance_each_due_round_exactly_once(
    make_challenge, ing, owner, ready_settings
):
    campaign = _published(make_challenge, ing, owner, ready_settings)
    with scopes_disabled():
        rounds = list(Round.objects.filter(campaign=campaign).order_by("index"))
    now = rounds[0].starts_at + dt.timedelta(minutes=1)
    due = round_cycle.due_rounds(now)
    assert {pk for _tenant, pk in due} == {r.pk for r in rounds if r.starts_at <= now}
    start = threading.Barrier(2)
    errors = []

    def tick():
        try:
            start.wait()
            for _tenant_id, round_id in due:
                with scopes_disabled():
                    round_ = Round.objects.get(pk=round_id)
                with scope(tenant=round_.tenant):
                    round_cycle.round_advance(round=round_, now=now)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with scopes_disabled():
        opened = AuditEntry.objects.filter(tenant=ing, action="round.open")
        assert sorted(opened.values_list("target_id", flat=True)) == sorted(
            str(r.public_id) for r in rounds if r.starts_at <= now
        )
        assert all(Round.objects.get(pk=pk).state == S.OPEN for _tenant, pk in due)
    assert round_cycle.due_rounds(now) == []


@pytest.mark.django_db(transaction=True)
def test_the_tick_on_a_worker_opens_the_challenge_and_its_rounds(
    ing, owner, make_challenge, ready_settings, celery_worker
):
    campaign = _published(make_challenge, ing, owner, ready_settings)
    assert campaign.status == Campaign.Status.SCHEDULED
    # The clock of the whole process (the worker's thread too) moves to the start.
    with time_machine.travel(campaign.starts_at + dt.timedelta(seconds=1), tick=True):
        assert round_cycle.due_campaigns(campaign.starts_at) == [(ing.pk, campaign.pk)]
        tasks.lifecycle_tick.delay()

        def states():
            with scope(tenant=ing):
                fresh = Campaign.objects.get(pk=campaign.pk)
                return fresh.status, dict(fresh.rounds.values_list("index", "state"))

        expected = (Campaign.Status.OPEN, {1: "open", 2: "scheduled", 3: "open"})
        assert wait_for(lambda: states() == expected), states()
