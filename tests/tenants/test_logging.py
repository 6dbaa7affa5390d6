"""Structured logs: one JSON object per line, with the request id, the tenant
and the user of the request that logged it, and no IP address."""

import io
import json
import logging
import logging.config

import pytest

from core import observability
from tests.conftest import force_login_on, host_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Every line logged meanwhile, through the production formatter."""
    stream = io.StringIO()
    config = observability.logging_config(level="INFO", json=True, requests_level="INFO")
    formatter = logging.config.dictConfigClass(config).configure_formatter(
        config["formatters"]["structured"]
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root, requests = logging.getLogger(), logging.getLogger("django_structlog")
    saved = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    requests.setLevel(saved)


def test_a_request_logs_its_id_tenant_and_user_as_json(client, ing, participant, json_lines):
    force_login_on(client, participant, ing)
    client.get("/", HTTP_HOST=host_of(ing), HTTP_X_FORWARDED_FOR="203.0.113.9")
    finished = [line for line in json_lines() if line["event"] == "request_finished"]
    assert len(finished) == 1
    line = finished[0]
    assert line["tenant"] == "ing"
    assert line["user_id"] == str(participant.public_id)
    assert len(line["request_id"]) >= 32
    assert line["code"] == 200 and line["level"] == "info" and line["timestamp"]
    assert "203.0.113.9" not in json.dumps(line) and "ip" not in line


def test_a_plain_logging_call_carries_the_context(json_lines):
    observability.bind(tenant="ing", request_id="r-1")
    try:
        logging.getLogger("ideas.tasks").warning("media %s stuck", "m-1", extra={"idea": "i-1"})
    finally:
        import structlog

        structlog.contextvars.clear_contextvars()
    (line,) = [line for line in json_lines() if line["logger"] == "ideas.tasks"]
    assert line["event"] == "media m-1 stuck"
    assert line["tenant"] == "ing" and line["request_id"] == "r-1" and line["idea"] == "i-1"
    assert line["level"] == "warning"


def test_the_access_log_keeps_no_query_string(client, ing, json_lines):
    """Addresses may carry one-time tokens (an intent, an embed claim)."""
    client.get("/challenges/?intent=secret-token-123", HTTP_HOST=host_of(ing))
    [line] = [line for line in json_lines() if line["event"] == "request_finished"]
    assert line["request"] == "GET /challenges/"
    assert "secret-token-123" not in json.dumps(json_lines())
