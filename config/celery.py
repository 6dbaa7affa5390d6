"""The Celery app, and the one periodic schedule of the platform."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ruche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task of the platform, in one place. Each entry says when and why.
app.conf.beat_schedule = {}
