"""Baseline latency of the tenant-resolving request path through the real stack.

    make bench-pages

Prints, for the tenant home page, the health check and the API's /me: requests
per second, p50/p95/p99 latency, and the status codes seen.
"""

import os

from benchmarks.stack import drive, print_figures, real_stack, run_django

DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))


def main() -> None:
    with real_stack(workers=int(os.environ.get("BENCH_WORKERS", "4"))) as stack:
        run_django(
            stack.env, "from django.core.management import call_command\ncall_command('seed_demo')"
        )
        for label, host, path in [
            ("tenant home", "ing.localhost", "/"),
            ("healthz", "localhost", "/healthz"),
            ("api me (anonymous)", "ing.localhost", "/api/v1/me"),
        ]:
            figures = drive(
                stack,
                lambda _i, _n, host=host, path=path: ("GET", host, path, {}, None),
                duration=DURATION,
                concurrency=CONCURRENCY,
            )
            print_figures(label, figures)


if __name__ == "__main__":
    main()
