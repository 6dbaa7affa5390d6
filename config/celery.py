"""The Celery app, and the one periodic schedule of the platform."""

import os

from celery import Celery
from celery.schedules import crontab
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ruche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id of the request that queued a task, on the task's log lines.
app.steps["worker"].add(DjangoStructLogInitStep)

# Every periodic task of the platform, in one place. Each entry says when and why.
app.conf.beat_schedule = {
    # Every minute: the round cycle (campaigns/round_cycle.py) — the one entry
    # that moves rounds: every due round of every tenant takes its next steps
    # (open → voting closed, the ranking frozen → in review, the shortlist built
    # → decided → announced, awards and payouts made, people told), and
    # challenges whose start or end has passed change status. Pages never wait
    # for it (campaigns.lifecycle reads the clock). Running it twice, or on two
    # workers at once, changes nothing the second time.
    "rounds": {
        "task": "campaigns.tasks.lifecycle_tick",
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
    # Every 5 minutes: jurors with ideas still to score are reminded 24 h before
    # their round's deadline, and the chair is told once it has passed with
    # scores missing. Each reminder has a dedupe key: running it twice, or on two
    # workers, tells nobody twice. (Shortlists are built by the round cycle.)
    "juries-reminders": {
        "task": "juries.tasks.jury_reminders",
        "schedule": 5 * 60.0,
    },
    # Every minute: webhook deliveries whose next attempt is due (the retries
    # hours apart wait here rather than as ETA messages the broker could lose
    # or redeliver). Each delivery is claimed before it is sent: running it
    # twice, or on two workers, sends nothing twice.
    "webhooks-retries": {
        "task": "integrations.tasks.webhooks_retry_due",
        "schedule": 60.0,
    },
    # Hourly at :20, because Monday morning comes at a different hour in each
    # tenant's time zone: from Monday 07:00 on its clock, each brand's team gets
    # the report of the week that ended (insights/services/reports.py). Each
    # tenant's week is claimed by a unique row: running it twice, or on two
    # workers, sends nothing twice; a missed hour is caught up by the next.
    "insights-weekly-report": {
        "task": "insights.tasks.weekly_reports_send",
        "schedule": crontab(minute=20),
    },
    # Every minute: the dashboard's figures. Page views queued in Redis by the
    # requests become rows, then each tenant's figures of today (and of
    # yesterday in the first hour after its midnight) are rebuilt from them and
    # from the other apps' records. A rebuild replaces the day's rows: running
    # it twice, or on two workers at once, gives the same figures.
    "insights-figures": {
        "task": "insights.tasks.figures_fold",
        "schedule": 60.0,
    },
}
