"""The jury's reminders, through a real Celery worker on the real Redis broker:
a deadline less than a day away reminds the jurors who have ideas to score,
once however often the task runs."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from juries import services, tasks
from notifications.models import Notification
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reminders_task_reminds_jurors_once(
    ing, owner, scored_round, chair, jorge, elena, score, celery_worker, drain
):
    result, ideas = scored_round
    for idea in ideas:
        score(result.assignment(elena, idea), elena, [6, 6, 6])
    assert tasks.due_shortlists() == []  # three days away
    with scope(tenant=ing):
        services.shortlist_set_deadline(
            round=result.round, deadline=timezone.now() + dt.timedelta(hours=2), actor=owner
        )
    assert tasks.due_shortlists() == [(ing.pk, result.shortlist.pk)]

    tasks.jury_reminders.delay()
    tasks.jury_reminders.delay()  # twice: still one reminder each

    def reminded():
        with scope(tenant=ing):
            return Notification.objects.filter(event="jury.deadline_reminder").count() == 2

    assert wait_for(reminded)
    drain()  # the second run has finished too
    with scope(tenant=ing):
        told = set(
            Notification.objects.filter(event="jury.deadline_reminder").values_list(
                "recipient_id", flat=True
            )
        )
    assert told == {chair.pk, jorge.pk}  # Elena has scored everything


def test_the_reminders_are_in_the_beat_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["juries-reminders"]
    assert entry["task"] == "juries.tasks.jury_reminders"
    assert entry["schedule"] == 300.0
