"""docker-compose.yml, read as the operator's contract (no Docker needed):
TLS in front, migrations once, a worker per queue, one beat, persistence, and
no secret in the file or the image."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command(name):
    return " ".join(SERVICES[name].get("command", []))


def test_a_tls_proxy_asks_the_platform_before_issuing_a_certificate():
    proxy = SERVICES["proxy"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    caddyfile = (ROOT / "deploy/caddy/Caddyfile").read_text()
    assert "ask http://web:8000/internal/tls-allowed" in caddyfile
    assert "on_demand" in caddyfile and "X-Forwarded-Proto https" in caddyfile
    assert "web" in proxy["depends_on"] and "ports" not in SERVICES["web"]


def test_migrations_run_once_before_the_app():
    assert command("migrate").endswith("migrate --noinput")
    for name in ("web", "worker-interactive", "worker-media", "worker-default", "beat"):
        assert "migrate" not in command(name)
        assert SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_a_worker_per_queue_and_one_beat():
    queues = {q.name for q in settings.CELERY_TASK_QUEUES}
    served = {
        SERVICES[name]["command"][SERVICES[name]["command"].index("-Q") + 1]
        for name in SERVICES
        if name.startswith("worker-")
    }
    assert served == queues
    assert [name for name in SERVICES if "beat" in command(name)] == ["beat"]


def test_state_survives_restarts():
    assert "--appendonly" in command("redis")
    assert "postgres:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert "pgvector" in SERVICES["postgres"]["image"]


def test_no_secret_in_the_file_or_the_image():
    env = SERVICES["web"]["environment"]
    assert env["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored


def test_the_media_volume_belongs_to_the_app_s_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "chown ruche:ruche /data/media" in dockerfile
    assert "USER ruche" in dockerfile
