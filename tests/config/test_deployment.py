"""Production settings are secure by default; the compose file is complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

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
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
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
