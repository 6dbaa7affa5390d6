"""Logs and error reports, set up by the settings (imports nothing of Django's
models: it runs while settings load).

- Logs: every line, ours or a library's, goes through structlog's processors
  and comes out as one JSON object (`json=True`) or key=value text, with the
  context bound meanwhile: `request_id` and `user_id` (django-structlog's
  middleware), `tenant` (tenants.middleware, core.tasks), `task_id` in Celery.
- Errors: sentry-sdk when a DSN is set, with Django's and Celery's integrations
  and nothing personal sent.
"""

from __future__ import annotations

import logging

import structlog


def drop_query_strings(_logger, _method, event: dict) -> dict:
    """The request of a line ("GET /path?query", or Django's request object)
    as its method and path, without the query: addresses may carry one-time
    tokens (a sign-in hand-off, an intent, an embed claim)."""
    request = event.get("request")
    if isinstance(request, str) and "?" in request:
        event["request"] = request.split("?", 1)[0]
    elif hasattr(request, "path") and hasattr(request, "method"):  # Django's own lines
        event["request"] = f"{request.method} {request.path}"
    return event


def scrub_event(event: dict, _hint) -> dict:
    """Sentry: the same, for the request of an error report."""
    request = event.get("request") or {}
    if request.get("query_string"):
        request["query_string"] = "[removed]"
    if isinstance(request.get("url"), str):
        request["url"] = request["url"].split("?", 1)[0]
    return event


# Applied to every line, whether it was logged through structlog or logging.
_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    drop_query_strings,
]


def logging_config(*, level: str, json: bool, requests_level: str = "INFO") -> dict:
    """The LOGGING setting: one console handler, structured. The per-request
    line is logged at `requests_level`, never below `level`."""
    requests_level = max(requests_level, level, key=logging.getLevelName)
    renderer = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False, sort_keys=True)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _SHARED,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # "request_finished" per request (the access log).
            "django_structlog": {"level": requests_level},
        },
    }


def configure_structlog() -> None:
    """structlog's own loggers hand their events to logging's handlers."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def bind(**context) -> None:
    """Add to the context of every line logged from now until the request or
    task ends (the tenant, once the host is resolved)."""
    structlog.contextvars.bind_contextvars(**context)


def init_sentry(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float
) -> bool:
    """Report unhandled errors (web and Celery) and error log lines to Sentry,
    or a compatible service; nothing without a DSN."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,  # no cookies, IP addresses or e-mails
        before_send=scrub_event,  # nor the tokens an address may carry
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
    )
    return True
