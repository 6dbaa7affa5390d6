"""The Celery app, and the one periodic schedule of the platform."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ruche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task of the platform, in one place. Each entry says when and why.
app.conf.beat_schedule = {
    # Every minute: challenges whose start or end has passed change status
    # (scheduled → open → closed) and rounds whose start has passed open. Pages
    # never wait for it (campaigns.lifecycle reads the clock); it keeps the stored
    # statuses right for lists and other apps. Running it twice changes nothing.
    "campaigns-tick": {
        "task": "campaigns.tasks.campaigns_tick",
        "schedule": 60.0,
    },
    # Hourly at :05, because a day ends at a different hour in each tenant's time
    # zone: build the daily and weekly notification digests whose period has just
    # ended and queue their e-mails. Running it twice sends nothing twice.
    "notifications-digests": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(minute=5),
    },
    # Every 15 minutes: the "trending" sort of each gallery ages — recompute the
    # score of the published ideas of running challenges (one UPDATE per tenant;
    # comments refresh their idea's score at once). Running it twice is harmless.
    "ideas-trending": {
        "task": "ideas.tasks.trending_refresh_all",
        "schedule": 15 * 60.0,
    },
    # Every minute: rankings of rounds whose voting just ended are frozen (the
    # jury's shortlist reads them; withdrawals after the end must not change
    # them), and each running challenge's "votes this round" counter moves to
    # the round that just started. Running it twice changes nothing.
    "voting-tick": {
        "task": "voting.tasks.voting_tick",
        "schedule": 60.0,
    },
    # Every 5 minutes: jurors with ideas still to score are reminded 24 h before
    # their round's deadline, and the chair is told once it has passed with
    # scores missing. Each reminder has a dedupe key: running it twice, or on two
    # workers, tells nobody twice. (Shortlists are built by the round cycle.)
    "juries-reminders": {
        "task": "juries.tasks.jury_reminders",
        "schedule": 5 * 60.0,
    },
    # Every minute: the round cycle — the one task that drives every round
    # through scheduled → open → voting_closed → in_review → decided → announced
    # (rewards/cycle.py), calling the same idempotent services the ticks above
    # call for their own part; announcing creates awards and payouts and tells
    # winners and participants. Its own entry, not the campaigns tick's: only
    # the top layer may call voting, juries and rewards. Twice changes nothing.
    "rewards-round-cycle": {
        "task": "rewards.tasks.round_cycle_tick",
        "schedule": 60.0,
    },
}
