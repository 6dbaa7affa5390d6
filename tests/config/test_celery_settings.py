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
