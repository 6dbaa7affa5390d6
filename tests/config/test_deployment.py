"""Production settings are secure by default; the compose file is complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_passes_djangos_deployment_checks():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_file_defines_the_whole_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {
        "proxy", "postgres", "redis", "mailpit", "migrate", "web",
        "worker-interactive", "worker-media", "worker-default", "beat",
    }  # fmt: skip
    assert "gunicorn" in services["web"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("migrate", "web", "worker-interactive", "worker-media", "worker-default", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert "SECRET_KEY" in environment
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_docker_compose_accepts_the_file():
    """`docker compose config` validates the file against Compose's own schema
    wherever the client has the compose plugin (this check is in addition to the
    structural one above, which always runs)."""
    docker = shutil.which("docker")
    has_compose = (
        bool(docker)
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    )
    if not has_compose:
        # Without the plugin, check what the services rely on in the image.
        dockerfile = (ROOT / "Dockerfile").read_text()
        assert "constraints.txt" in dockerfile  # the exact pins
        assert "ffmpeg" in dockerfile  # the video pipeline
        assert "collectstatic" in dockerfile  # whitenoise serves the manifest
        assert "USER ruche" in dockerfile  # never root in production
        assert "config.wsgi:application" in dockerfile
        return
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True, text=True, env={**os.environ, "SECRET_KEY": "x"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


# The operator's contract of docker-compose.yml: TLS in front, migrations once,
# a worker per queue, one beat, persistence, no secret in the file or the image.

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
