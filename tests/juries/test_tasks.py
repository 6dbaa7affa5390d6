"""The jury's tick, through a real Celery worker on the real Redis broker: a
round whose voting is over gets its shortlist and its jurors are told; a
deadline less than a day away reminds the jurors who have ideas to score."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from django_scopes import scope

from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from campaigns.models import Round
from ideas import services as idea_services
from juries import services, tasks
from juries.models import Assignment, JuryMember, Shortlist
from notifications.models import Notification
from voting import services as voting_services

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def sleep_until(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)


def test_the_tick_builds_the_shortlist_and_reminds_jurors(
    ing, owner, chair, seat, make_person, celery_worker
):
    start = timezone.now() + dt.timedelta(seconds=1)
    values = genios_del_ahorro(start)
    values.update(
        slug="flash",
        cadence="single",
        ends_at=start + dt.timedelta(seconds=8),
        prizes=[{"round_kind": "grand", "amount": "100", "currency": "EUR"}],
    )
    with scope(tenant=ing):
        campaign = campaign_services.campaign_create(tenant=ing, actor=owner, **values)
        campaign = campaign_services.campaign_publish(campaign=campaign, actor=owner)
    seat(campaign, chair, JuryMember.Role.CHAIR)
    author, voter = make_person(), make_person()
    sleep_until(start)
    with scope(tenant=ing):
        idea = idea_services.idea_submit(
            campaign=campaign, author=author, title="Flash idea", body="Round it up."
        )
        assert voting_services.vote_cast(idea=idea, voter=voter).changed
        round_ = Round.objects.get(campaign=campaign)
    assert tasks.rounds_due_for_shortlist() == []
    sleep_until(round_.voting_ends_at)
    assert tasks.rounds_due_for_shortlist() == [(ing.pk, round_.pk)]

    tasks.jury_tick.delay()

    def built():
        with scope(tenant=ing):
            return Notification.objects.filter(
                recipient=chair, event="jury.shortlist_ready"
            ).exists()

    assert wait_for(built)
    with scope(tenant=ing):
        shortlist = Shortlist.objects.get(round=round_)
        assert Assignment.objects.filter(round=round_, juror=chair).count() == 1
        round_.refresh_from_db()
        assert round_.state == Round.State.IN_REVIEW
    assert tasks.rounds_due_for_shortlist() == []

    # The deadline comes within the day: the juror with an idea to score hears it.
    with scope(tenant=ing):
        services.shortlist_set_deadline(
            round=round_, deadline=timezone.now() + dt.timedelta(hours=2), actor=owner
        )
    assert tasks.due_shortlists() == [(ing.pk, shortlist.pk)]
    tasks.jury_tick.delay()
    tasks.jury_tick.delay()  # twice: still one reminder

    def reminded():
        with scope(tenant=ing):
            return Notification.objects.filter(
                recipient=chair, event="jury.deadline_reminder"
            ).exists()

    assert wait_for(reminded)
    time.sleep(1)
    with scope(tenant=ing):
        assert Notification.objects.filter(event="jury.deadline_reminder").count() == 1
        assert Shortlist.objects.count() == 1


def test_the_tick_is_in_the_beat_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["juries-tick"]
    assert entry["task"] == "juries.tasks.jury_tick"
    assert entry["schedule"] == 300.0
