"""Errors reach Sentry when SENTRY_DSN is set: a local server speaking
Sentry's envelope protocol receives them, with nothing personal."""

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, logging, sentry_sdk
django.setup()
from django.conf import settings
assert settings.SENTRY_DSN
try:
    {}["missing"]
except KeyError:
    logging.getLogger("ideas.tasks").exception("media job failed")
sentry_sdk.flush(timeout=10)
"""


class Envelopes(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Envelopes.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_error_log_line_with_its_exception_reaches_sentry():
    server = http.server.HTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "SENTRY_DSN": dsn,
            "SENTRY_ENVIRONMENT": "staging",
        }
        subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, check=True, timeout=120)
    finally:
        server.shutdown()
    events = []
    for path, body in Envelopes.received:
        assert path == "/api/42/envelope/"
        for line in body.splitlines():
            item = json.loads(line)
            if "exception" in item:
                events.append(item)
    (event,) = events
    assert event["environment"] == "staging"
    assert event["exception"]["values"][0]["type"] == "KeyError"
    assert event["logentry"]["message"] == "media job failed"
    assert "ip_address" not in json.dumps(event.get("user", {}))
    assert "cookies" not in json.dumps(event.get("request", {}))


def test_without_a_dsn_nothing_is_set_up():
    from core.observability import init_sentry

    assert init_sentry(dsn="", environment="x", release=None, traces_sample_rate=0) is False


def test_error_reports_carry_no_query_string():
    from core.observability import scrub_event

    url = "https://ing.example/continue/"
    event = {"request": {"url": f"{url}?intent=abc", "query_string": "intent=abc"}}
    assert scrub_event(event, None)["request"] == {"url": url, "query_string": "[removed]"}
