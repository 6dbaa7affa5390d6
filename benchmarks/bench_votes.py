"""Votes through the real stack (gunicorn + PostgreSQL + Redis), measured
against the database's own limit.

    make bench-votes

1. Seeds the demo, then BENCH_USERS people who accepted ING's terms, each with
   an API token, and ideas in "Genios del Ahorro" (through the services).
2. Drives `POST /api/v1/ideas/<id>/vote` for BENCH_SECONDS from
   BENCH_CONCURRENCY connections, every request a new (person, idea) pair,
   each from its own address (X-Forwarded-For behind one trusted proxy) and one
   of a few browsers: the full path — token, terms, rules, rate limits and
   risk score in Redis, the insert, the counters. Prints votes/s, p50, p99.
3. The same, every vote on one idea: the hot row of a TV-ad burst.
4. The raw PostgreSQL insert rate into the votes table, from as many psycopg
   connections, one transaction per row: the same statement, row shape and
   constraints (and indexes) as the service's insert, nothing else.
5. Checks the counters against the votes, and ends with
   `ratio: <votes per s through HTTP / raw inserts per s>`.
"""

import json
import os
import random
import threading
import time
import uuid

from benchmarks.stack import (
    Figures,
    drive,
    print_figures,
    real_stack,
    run_django_for_json,
    run_workers,
)

DURATION = float(os.environ.get("BENCH_SECONDS", "15"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
USERS = int(os.environ.get("BENCH_USERS", "3000"))
IDEAS = int(os.environ.get("BENCH_IDEAS", "40"))
RAW_IDEAS = int(os.environ.get("BENCH_RAW_IDEAS", "150"))

BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) Chrome/139.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/139.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
]

SEED = """
import json, os
from django.core.management import call_command
from django.db import transaction
from django_scopes import scope, scopes_disabled
from accounts import services as accounts
from campaigns.models import Campaign, Round
from campaigns import lifecycle
from ideas import services as ideas
from tenants.models import Tenant

call_command("seed_demo")
with scopes_disabled():
    ing = Tenant.objects.get(slug="ing")
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    author = accounts.user_create(email="bench-author@example.com", display_name="Autora")
    accounts.consent_accept(tenant=ing, user=author, version=1, display_name="Autora")
    total = int(os.environ["BENCH_IDEAS"]) + 2 + int(os.environ["BENCH_RAW_IDEAS"])
    made = [
        ideas.idea_submit(
            campaign=genios, author=author, title=f"Truco de ahorro {n}",
            body="Un truco para ahorrar un poco cada semana.",
        )
        for n in range(total)
    ]
    assert all(i.state == "published" for i in made)
    tokens = []
    for n in range(int(os.environ["BENCH_USERS"])):
        with transaction.atomic():
            person = accounts.user_create(email=f"bench{n}@example.com", display_name=f"P{n}")
            accounts.consent_accept(tenant=ing, user=person, version=1, display_name=f"P{n}")
            token = accounts.api_token_issue(user=person, tenant=ing)
            tokens.append((person.pk, getattr(token, "key", token)))
    round_ = lifecycle.current_round(genios)
    json.dump(
        {
            "tenant": ing.pk,
            "round": round_.pk,
            "campaign": genios.pk,
            "ideas": [[i.pk, str(i.public_id)] for i in made],
            "people": tokens,
        },
        open(os.environ["BENCH_OUT"], "w"),
    )
"""


def seed(env: dict) -> dict:
    started = time.perf_counter()
    data = run_django_for_json(
        env
        | {
            "BENCH_USERS": str(USERS),
            "BENCH_IDEAS": str(IDEAS),
            "BENCH_RAW_IDEAS": str(RAW_IDEAS),
        },
        SEED,
    )
    print(
        f"seeded {len(data['people'])} people with tokens and {len(data['ideas'])} ideas "
        f"in {time.perf_counter() - started:.0f}s",
        flush=True,
    )
    return data


def vote_requests(data: dict, ideas: list, *, spread: bool):
    people = data["people"]

    def request(_worker: int, n: int):
        number = n - 1
        person = people[number % len(people)]
        idea = ideas[(number // len(people)) % len(ideas)] if spread else ideas[0]
        # A new /24 for every request: nobody's network looks concentrated.
        address = f"10.{number // 256 % 256}.{number % 256}.{1 + number // 65536 % 250}"
        headers = {
            "Authorization": f"Token {person[1]}",
            "X-Forwarded-For": address,
            "User-Agent": BROWSERS[number % len(BROWSERS)],
            "Content-Length": "0",
        }
        return "POST", "ing.localhost", f"/api/v1/ideas/{idea[1]}/vote", headers, None

    return request


INSERT = """
INSERT INTO voting_vote (public_id, tenant_id, idea_id, voter_id, round_id, cast_at, status,
                         risk_score, evidence, ip_network, user_agent_hash)
VALUES (%s, %s, %s, %s, %s, now(), 'counted', 15, %s::jsonb, %s, %s)
ON CONFLICT (idea_id, voter_id, tenant_id) DO NOTHING
RETURNING id
"""
EVIDENCE = json.dumps(
    {
        "signals": [{"code": "fresh_account", "points": 15, "age_minutes": 3}],
        "account_age_minutes": 3,
        "email_domain": "example.com",
        "counts": {"idea": 12, "network": 1, "agent": 3, "fresh": 12},
    }
)


def raw_inserts(database_url: str, data: dict, ideas: list) -> Figures:
    """Single-row transactions from CONCURRENCY psycopg connections for DURATION."""
    import psycopg

    figures = Figures()
    lock = threading.Lock()
    counter = {"n": 0}
    people = data["people"]
    limit = len(people) * len(ideas)
    deadline = time.monotonic() + DURATION

    def worker(_index: int) -> None:
        with psycopg.connect(database_url, autocommit=True) as connection:
            cursor = connection.cursor()
            while time.monotonic() < deadline:
                with lock:
                    number = counter["n"]
                    counter["n"] += 1
                if number >= limit:
                    break
                person = people[number % len(people)]
                idea = ideas[number // len(people)]
                started = time.perf_counter()
                cursor.execute(
                    INSERT,
                    (uuid.uuid4(), data["tenant"], idea[0], person[0], data["round"], EVIDENCE,
                     "10.0.0.0/24", "0123456789abcdef"),
                    prepare=True,
                )  # fmt: skip
                cursor.fetchone()
                took = time.perf_counter() - started
                with lock:
                    figures.latencies.append(took)
                    figures.statuses[201] = figures.statuses.get(201, 0) + 1

    return run_workers(worker, CONCURRENCY, figures)


def counters_check(database_url: str, data: dict, ideas: list) -> str:
    import psycopg

    ids = [idea[0] for idea in ideas]
    with psycopg.connect(database_url) as connection:
        counted = connection.execute(
            "SELECT count(*) FROM voting_vote WHERE status = 'counted' AND idea_id = ANY(%s)",
            (ids,),
        ).fetchone()[0]
        quarantined = connection.execute(
            "SELECT count(*) FROM voting_vote WHERE status = 'quarantined' AND idea_id = ANY(%s)",
            (ids,),
        ).fetchone()[0]
        counters = connection.execute(
            "SELECT coalesce(sum(vote_count), 0) FROM ideas_idea WHERE id = ANY(%s)", (ids,)
        ).fetchone()[0]
    verdict = "exact" if counters == counted else "WRONG"
    return (
        f"check: {counted} counted votes, {quarantined} quarantined, "
        f"ideas' counters sum to {counters}: {verdict}"
    )


def main() -> None:
    # One load balancer in front: the visitor's address is the last X-Forwarded-For
    # entry. The benchmark's people vote far more often than a person would (there
    # are only BENCH_USERS of them), so the per-person limits are lifted; the
    # per-address limit and the whole risk check still run on every vote.
    os.environ.update(
        TRUSTED_PROXY_COUNT="1", VOTING_PERSON_PER_MINUTE="100000", VOTING_PERSON_PER_HOUR="100000"
    )
    random.seed(6)
    with real_stack(workers=WORKERS) as stack:
        data = seed(stack.env)
        ideas = data["ideas"]
        hot, warm, spread, raw = ideas[:1], ideas[1:2], ideas[2 : IDEAS + 2], ideas[IDEAS + 2 :]
        # Each worker's first requests load code and the throwaway-domain list: not timed.
        drive(stack, vote_requests(data, warm, spread=False), total=WORKERS * 25,
              concurrency=WORKERS)  # fmt: skip
        print(
            f"gunicorn {WORKERS} workers, {CONCURRENCY} connections, {DURATION:.0f}s per run",
            flush=True,
        )
        spread_figures = drive(
            stack, vote_requests(data, spread, spread=True), duration=DURATION,
            concurrency=CONCURRENCY,
        )  # fmt: skip
        print_figures(f"votes over HTTP, {len(spread)} ideas", spread_figures)
        hot_figures = drive(
            stack, vote_requests(data, hot, spread=False), duration=DURATION,
            concurrency=CONCURRENCY, total=len(data["people"]),
        )  # fmt: skip
        print_figures("votes over HTTP, all on one idea", hot_figures)
        raw_figures = raw_inserts(stack.env["DATABASE_URL"], data, raw)
        print_figures("raw inserts into the votes table (psycopg)", raw_figures)
        print(counters_check(stack.env["DATABASE_URL"], data, hot + warm + spread), flush=True)
        ms = 1000
        print(
            f"votes/s {spread_figures.rate:.0f}, p50 {spread_figures.percentile(50) * ms:.1f} ms, "
            f"p99 {spread_figures.percentile(99) * ms:.1f} ms; "
            f"raw inserts/s {raw_figures.rate:.0f}",
            flush=True,
        )
        ratio = spread_figures.rate / raw_figures.rate if raw_figures.rate else float("nan")
        print(f"ratio: {ratio:.3f}", flush=True)


if __name__ == "__main__":
    main()
