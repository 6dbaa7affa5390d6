"""The periodic tick, through a real Celery worker on the real Redis broker."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from django_scopes import scope

from campaigns import tasks
from campaigns.models import Campaign, Round

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_tick_opens_a_challenge_whose_start_has_passed(
    ing, owner, make_challenge, ready_settings, celery_worker
):
    starts_at = timezone.now() + dt.timedelta(seconds=2)
    campaign = make_challenge(
        ing,
        owner,
        publish=True,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(days=14),
        **ready_settings(),
    )
    assert campaign.status == Campaign.Status.SCHEDULED
    assert tasks.due_campaigns() == []
    time.sleep(max(0.0, (starts_at - timezone.now()).total_seconds()) + 0.1)
    assert tasks.due_campaigns() == [(ing.pk, campaign.pk)]

    tasks.campaigns_tick.delay()

    def opened():
        with scope(tenant=ing):
            return Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN

    assert wait_for(opened)
    with scope(tenant=ing):
        states = dict(Round.objects.filter(campaign=campaign).values_list("index", "state"))
    assert states == {1: "open", 2: "scheduled", 3: "open"}
    assert tasks.due_campaigns() == []


def test_the_tick_is_in_the_beat_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["campaigns-tick"]
    assert entry["task"] == "campaigns.tasks.campaigns_tick"
    assert entry["schedule"] == 60.0
