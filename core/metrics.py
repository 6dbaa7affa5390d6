"""Operators' metrics, in Prometheus' text format.

Three kinds, one page (`/metrics`, served by tenants.views.platform.metrics on
the platform's host or an internal name, never on a tenant's host):

- requests (django-prometheus' middlewares) and Celery tasks (durations,
  outcomes: the signals below), counted in each process. Under gunicorn or a
  Celery pool, set PROMETHEUS_MULTIPROC_DIR to a directory shared by the
  processes of one machine, emptied at start, and every process's counts are
  added up (prometheus_client's multiprocess mode).
- readings taken when the page is scraped: the business counters every app
  registers (`register_reading`: votes, submissions, e-mails, payouts…), the
  database's connections and the Celery queues' lengths. Read from the
  database and Redis, they are right whichever process answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

PREFIX = "ruche_"

Sample = tuple[dict[str, str], float]


@dataclass(frozen=True)
class Reading:
    """A figure read when the page is scraped: `read()` yields (labels, value)."""

    name: str
    help: str
    labels: tuple[str, ...]
    read: Callable[[], Iterable[Sample]]
    counter: bool = False


_readings: dict[str, Reading] = {}


def register_reading(
    name: str,
    *,
    help: str,
    read: Callable[[], Iterable[Sample]],
    labels: tuple[str, ...] = (),
    counter: bool = False,
) -> None:
    """Add (or replace, when reloading) the figure `ruche_<name>`. A counter
    only ever grows (votes ever cast); a gauge goes up and down (a queue)."""
    _readings[name] = Reading(name=name, help=help, labels=labels, read=read, counter=counter)


class _ReadingsCollector:
    def collect(self):
        for reading in sorted(_readings.values(), key=lambda r: r.name):
            family_class = CounterMetricFamily if reading.counter else GaugeMetricFamily
            family = family_class(PREFIX + reading.name, reading.help, labels=reading.labels)
            try:
                samples = list(reading.read())
            except Exception:  # noqa: BLE001 - one figure failing must not hide the others
                scrape_errors.labels(reading=reading.name).inc()
                continue
            for labels, value in samples:
                family.add_metric([str(labels.get(key, "")) for key in reading.labels], value)
            yield family


_readings_registry = CollectorRegistry(auto_describe=False)
_readings_registry.register(_ReadingsCollector())

# Counted in each process (added up across processes in multiprocess mode).
tasks = Counter(
    PREFIX + "celery_tasks",
    "Celery tasks run, by task and outcome (success, failure, retry).",
    ["task", "outcome"],
)
task_seconds = Histogram(
    PREFIX + "celery_task_duration_seconds",
    "How long Celery tasks ran, by task.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
scrape_errors = Counter(
    PREFIX + "metrics_reading_errors",
    "Readings that failed while the metrics page was scraped, by reading.",
    ["reading"],
)


def render() -> tuple[bytes, str]:
    """The whole page and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    return generate_latest(processes) + generate_latest(_readings_registry), CONTENT_TYPE_LATEST


# Celery tasks: started → finished, whatever the outcome.
_started: dict[str, float] = {}


def task_started(task_id=None, **_):
    if task_id:
        _started[task_id] = time.monotonic()


def task_finished(task_id=None, task=None, state=None, **_):
    began = _started.pop(task_id, None) if task_id else None
    name = getattr(task, "name", None) or "unknown"
    outcome = {"SUCCESS": "success", "FAILURE": "failure", "RETRY": "retry"}.get(state, "other")
    tasks.labels(task=name, outcome=outcome).inc()
    if began is not None:
        task_seconds.labels(task=name).observe(time.monotonic() - began)


def connect_celery_signals() -> None:
    from celery import signals

    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="ruche-metrics-start")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="ruche-metrics-end")


# The platform's own readings: the database and the queues.


def database_connections() -> Iterable[Sample]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() GROUP BY 1"
        )
        for state, count in cursor.fetchall():
            yield {"state": state}, count


# Kombu's Redis transport keeps a queue's messages of each priority step in a
# list of its own: "<queue>", then "<queue>\x06\x163", "…6", "…9".
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def queue_names() -> list[str]:
    from django.conf import settings

    named = getattr(settings, "CELERY_TASK_QUEUES", None) or ()
    names = [getattr(queue, "name", queue) for queue in named]
    default = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    return sorted({default, *names})


def queue_lengths() -> Iterable[Sample]:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in queue_names():
                for suffix in _PRIORITY_SUFFIXES:
                    pipe.llen(name + suffix)
            lengths = pipe.execute()
    finally:
        client.close()
    step = len(_PRIORITY_SUFFIXES)
    for index, name in enumerate(queue_names()):
        yield {"queue": name}, sum(lengths[index * step : (index + 1) * step])


def register_platform_readings() -> None:
    register_reading(
        "database_connections",
        help="Connections to the platform's database, by state.",
        labels=("state",),
        read=database_connections,
    )
    register_reading(
        "celery_queue_length",
        help="Tasks waiting in each Celery queue.",
        labels=("queue",),
        read=queue_lengths,
    )


def rows_by(model, *fields: str, total: str | None = None):
    """A reading of a model's rows across every tenant, by the values of
    `fields` (labels of the same names), counted, or summed over `total`: one
    GROUP BY on an indexed column or two, whatever the number of tenants."""
    from django.db.models import Count, Sum
    from django_scopes import scopes_disabled

    def read() -> Iterable[Sample]:
        figure = Sum(total) if total else Count("pk")
        with scopes_disabled():
            rows = model.objects.order_by().values_list(*fields).annotate(figure=figure)
            for *values, amount in rows:
                yield dict(zip(fields, values, strict=True)), float(amount or 0)

    return read
