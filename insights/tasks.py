"""Celery tasks of insights: they call the services, nothing more."""

from celery import shared_task
from django.utils import timezone


@shared_task
def weekly_reports_send() -> int:
    """The weekly reports due now (beat, hourly). Safe to run twice."""
    from insights import services

    return len(services.weekly_reports_send_due(now=timezone.now()))
