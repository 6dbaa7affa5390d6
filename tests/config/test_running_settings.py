"""Settings that decide whether a task can be lost or run twice, and how
processes reach the database."""

from django.conf import settings


def test_the_visibility_timeout_outlasts_every_retry_countdown():
    """A message waiting for its countdown is unacknowledged: were the broker's
    visibility timeout shorter, it would hand the retry to a second worker."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > max(settings.NOTIFICATIONS_EMAIL_RETRY_DELAYS)


def test_tasks_are_acknowledged_after_they_ran_and_have_time_limits():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


def test_e_mails_and_media_have_queues_of_their_own():
    """A burst of transcodes never delays an e-mail someone waits for."""
    from config.celery import app

    def queue_of(task):
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("notifications.tasks.email_send") == "interactive"
    assert queue_of("accounts.tasks.invitation_email_send") == "interactive"
    assert queue_of("ideas.tasks.media_process") == "media"
    assert queue_of("campaigns.tasks.lifecycle_tick") == "celery"
    assert {q.name for q in app.amqp.queues.values()} == {"celery", "interactive", "media"}


def test_a_worker_without_q_consumes_every_queue(celery_worker):
    consumed = {queue.name for queue in celery_worker.consumer.task_consumer.queues}
    assert consumed == {"celery", "interactive", "media"}


def test_a_connection_pool_when_asked_for():
    """DATABASE_POOL=min:max gives each process psycopg's pool (and no
    persistent connection of Django's on top)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c: c.execute('SELECT 1')\n"
        "print(type(connection.pool).__name__, connection.pool.min_size,"
        " connection.pool.max_size, connection.settings_dict['CONN_MAX_AGE'])\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 50, "DATABASE_POOL": "2:5"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ConnectionPool", "2", "5", "0"]
