"""Celery's settings that decide whether a task can be lost or run twice."""

from django.conf import settings


def test_the_visibility_timeout_outlasts_every_retry_countdown():
    """A message waiting for its countdown is unacknowledged: were the broker's
    visibility timeout shorter, it would hand the retry to a second worker."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > max(settings.NOTIFICATIONS_EMAIL_RETRY_DELAYS)


def test_tasks_are_acknowledged_after_they_ran_and_have_time_limits():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
