"""The real stack for benchmarks: PostgreSQL, Redis, migrations, gunicorn.

    with real_stack(workers=4) as stack:
        seed(stack.env)                      # run code against stack.env's database
        figures = drive(stack.url("ing", "/"), duration=10, concurrency=16)
        print_figures("home", figures)

Uses the private servers of scripts/local.py unless DATABASE_URL / REDIS_URL
are set (then a separate database `ruche_bench` is created on that server).
Settings: config.settings.production with DEBUG off, so figures are those of a
production process (minus TLS).
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("local_services", ROOT / "scripts" / "local.py")
local = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(local)


@dataclass
class Stack:
    env: dict
    port: int

    def url(self, slug: str | None, path: str) -> tuple[str, str]:
        """(host header, path) for a tenant's host, or the platform's with slug=None."""
        host = f"{slug}.localhost" if slug else "localhost"
        return host, path


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextlib.contextmanager
def real_stack(*, workers: int = 4, threads: int = 1):
    with local.services("bench", ephemeral=True) as env:
        env = dict(env)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY="benchmark-only-secret-key-" + "x" * 40,
            PLATFORM_DOMAIN="localhost",
            SECURE_SSL_REDIRECT="false",
            LOG_LEVEL="ERROR",
            CONN_MAX_AGE="600",
            STATIC_ROOT=str(local.LOCAL / "bench-static"),
            # One address sends every request: its search limit would answer 429.
            RATE_LIMIT_SEARCH="",
        )
        _manage(env, "migrate", "--noinput", "-v", "0")
        port = local.free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", str(threads), "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            local.wait_for_port(port, timeout=60)
            yield Stack(env=env, port=port)
        finally:
            server.terminate()
            server.wait(20)


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


def drive(
    stack: Stack,
    requests,
    *,
    duration: float | None = None,
    total: int | None = None,
    concurrency: int = 8,
) -> Figures:
    """Send requests from `concurrency` threads, each on its own keep-alive
    connection, for `duration` seconds or `total` requests.

    `requests(worker_index, n)` returns (method, host, path, headers, body).
    """
    figures = Figures()
    lock = threading.Lock()
    counter = {"n": 0}
    deadline = time.monotonic() + duration if duration else None

    def next_number() -> int | None:
        with lock:
            if total is not None and counter["n"] >= total:
                return None
            counter["n"] += 1
            return counter["n"]

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        while deadline is None or time.monotonic() < deadline:
            number = next_number()
            if number is None:
                break
            method, host, path, headers, body = requests(index, number)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers={"Host": host, **headers})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
                with lock:
                    figures.errors += 1
                continue
            took = time.perf_counter() - started
            with lock:
                figures.latencies.append(took)
                figures.statuses[status] = figures.statuses.get(status, 0) + 1
        connection.close()

    return run_workers(worker, concurrency, figures)


def run_workers(worker, count: int, figures: Figures) -> Figures:
    """Run worker(index) in `count` threads at once; the run's wall time goes
    to `figures.elapsed`."""
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.elapsed = time.perf_counter() - started
    return figures


def print_figures(label: str, figures: Figures) -> None:
    ms = 1000
    print(
        f"{label}: {figures.count} requests in {figures.elapsed:.1f}s "
        f"({figures.rate:.0f}/s), p50 {figures.percentile(50) * ms:.1f} ms, "
        f"p95 {figures.percentile(95) * ms:.1f} ms, p99 {figures.percentile(99) * ms:.1f} ms, "
        f"median {statistics.median(figures.latencies) * ms if figures.latencies else 0:.1f} ms, "
        f"statuses {dict(sorted(figures.statuses.items()))}, errors {figures.errors}",
        flush=True,
    )


def run_django(env: dict, code: str) -> None:
    """Run Python `code` with Django set up against the stack's database."""
    bootstrap = "import django; django.setup()\n" + code
    subprocess.run([sys.executable, "-c", bootstrap], cwd=ROOT, env=env, check=True)


def run_django_for_json(env: dict, code: str) -> dict:
    """Run `code` as run_django does and return the JSON it wrote to the file named
    by its BENCH_OUT variable (a temporary file, removed afterwards)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    try:
        run_django({**env, "BENCH_OUT": path}, code)
        with open(path) as handle:
            return json.load(handle)
    finally:
        os.unlink(path)


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
