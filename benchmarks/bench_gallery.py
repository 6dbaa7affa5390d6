"""The gallery and search of one challenge holding 100,000 ideas, through the
real stack (gunicorn, PostgreSQL, Redis; production settings).

    make bench-gallery

Seeds the demo, then 100,000 published ideas in "Genios del Ahorro" with COPY
(and their search vectors in one UPDATE), then prints requests per second and
the median and p95 latency of: the gallery's first page (newest, most voted),
a page deep in the keyset, and full-text searches (Spanish stemming).

BENCH_IDEAS, BENCH_SECONDS, BENCH_CONCURRENCY and BENCH_WORKERS change the run.
"""

import os
import tempfile
import time

from benchmarks.stack import drive, print_figures, real_stack, run_django

IDEAS = int(os.environ.get("BENCH_IDEAS", "100000"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))

SEED = """
import datetime as dt
import os
import random
import uuid

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from accounts.models import User
from campaigns.models import Campaign
from ideas import services
from ideas.models import Idea
from tenants.models import Tenant

call_command("seed_demo")
call_command("collectstatic", interactive=False, verbosity=0)  # production serves a manifest
ing = Tenant.objects.get(slug="ing")
COUNT = int(os.environ['BENCH_IDEAS'])
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    round_id = genios.rounds.order_by("index").values_list("pk", flat=True).first()
    authors = list(User.objects.values_list("pk", flat=True))
    verbs = ["Ahorra", "Reduce", "Compara", "Planifica", "Apaga", "Comparte", "Reutiliza",
             "Congela"]
    things = ["la calefacción", "la compra semanal", "el transporte", "las vacaciones",
              "la luz", "el agua", "las suscripciones", "la comida", "el móvil", "los regalos"]
    ways = ["con una lista", "cada domingo", "con el redondeo", "en familia", "con una hucha",
            "con un presupuesto", "sin darte cuenta", "con la app del banco"]
    tags = ["compras", "hogar", "transporte", "vacaciones"]
    rng = random.Random(42)
    now = timezone.now()
    started = dt.datetime.now()
    columns = ("public_id, tenant_id, campaign_id, round_id, author_id, kind, title, body, tags, "
               "video_provider, video_ref, state, hold_reasons, moderation_reason, vote_count, "
               "round_vote_count, comment_count, flag_count, trending_score, created_at, "
               "updated_at, submitted_at, published_at, stage, stage_note, stage_note_shown, "
               "language")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ideas_idea ({columns}) FROM STDIN") as copy:
            for n in range(COUNT):
                title = f"{rng.choice(verbs)} {rng.choice(things)} {rng.choice(ways)}"
                body = " ".join(
                    f"{rng.choice(verbs).lower()} {rng.choice(things)}" for _ in range(4)
                )
                when = now - dt.timedelta(seconds=n * 20)
                votes = int(rng.paretovariate(1.2)) - 1
                copy.write_row((
                    uuid.uuid4(), ing.pk, genios.pk, round_id, rng.choice(authors), "text",
                    title, body, [rng.choice(tags)], "", "", "published", [], "",
                    votes, votes // 3, 0, 0, votes / (n / 180 + 2) ** 1.5, when, when, when, when,
                    "none", "", False, "",
                ))
        services.search_reindex(tenant=ing)  # as the platform indexes them
        cursor.execute("ANALYZE ideas_idea")
    total = Idea.objects.filter(campaign=genios).count()
took = (dt.datetime.now() - started).total_seconds()
print(f"seeded {total} ideas in {took:.1f}s", flush=True)
"""

NEXT_CURSOR = """
from django_scopes import scope
from campaigns.models import Campaign
from ideas import selectors
from tenants.models import Tenant

ing = Tenant.objects.get(slug="ing")
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    query = selectors.GalleryQuery.from_params({"sort": "newest", "page_size": "60"})
    for _ in range(int(__import__("os").environ["PAGES_DOWN"])):
        page = selectors.gallery_page(genios, query)
        query.cursor = page.next_cursor
with open(__import__("os").environ["CURSOR_FILE"], "w") as out:
    out.write(query.cursor)
"""

BASE = "/challenges/genios-del-ahorro/ideas/"


def main() -> None:
    with real_stack(workers=int(os.environ.get("BENCH_WORKERS", "4"))) as stack:
        started = time.perf_counter()
        run_django({**stack.env, "BENCH_IDEAS": str(IDEAS)}, SEED)
        print(f"seed: {time.perf_counter() - started:.1f}s", flush=True)
        cursor_file = os.path.join(tempfile.gettempdir(), "ruche-bench-cursor")
        pages_down = min(500, IDEAS // 60 - 1)  # 30,000 ideas down the list at full size
        run_django(
            {**stack.env, "CURSOR_FILE": cursor_file, "PAGES_DOWN": str(pages_down)}, NEXT_CURSOR
        )
        with open(cursor_file) as handle:
            deep = handle.read().strip()
        cases = [
            ("gallery newest (24)", f"{BASE}"),
            ("gallery most voted (24)", f"{BASE}?sort=votes"),
            ("gallery trending (24)", f"{BASE}?sort=trending"),
            (
                f"gallery newest, {pages_down * 60:,} ideas down (60)",
                f"{BASE}?page_size=60&cursor={deep}",
            ),
            ("gallery fragment, theme filter (htmx)", f"{BASE}?sort=votes&tag=hogar"),
            ("search 'calefacción' by relevance", f"{BASE}?q=calefacci%C3%B3n"),
            ("search 'ahorrar compra' most voted", f"{BASE}?q=ahorrar+compra&sort=votes"),
            ("API search 'vacaciones'", "/api/v1/challenges/genios-del-ahorro/ideas?q=vacaciones"),
        ]
        for label, path in cases:
            headers = {"HX-Request": "true"} if "htmx" in label else {}
            host, path = stack.url("ing", path)

            def request(_worker, _n, host=host, path=path, headers=headers):
                return "GET", host, path, headers, None

            drive(stack, request, total=20)  # warm the workers' connections and caches
            print_figures(label, drive(stack, request, duration=DURATION, concurrency=CONCURRENCY))


if __name__ == "__main__":
    main()
