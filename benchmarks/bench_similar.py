"""Similar ideas while a title is typed, in one challenge holding 10,000 ideas
(BENCH_IDEAS=100000 for the issue's goal), through the real stack.

    make bench-similar

Seeds the demo, then the ideas with COPY in Spanish, French and English, their
search vectors (the service's UPDATE) and their embeddings: a few hundred
distinct texts are embedded with the real encoder and every idea gets one of
them with a little noise (embedding 100,000 texts would take the benchmark's
whole budget on two shared cores), then the HNSW index is built. Prints:
- the selector alone (embedding the typed title, the words query, the
  embedding query, the ideas): median and p95 over typed titles in the three
  languages;
- the HTML fragment over HTTP (gunicorn, production settings): requests per
  second, median and p95.

BENCH_IDEAS, BENCH_SECONDS, BENCH_CONCURRENCY and BENCH_WORKERS change the run.
"""

import os
import random
import time
from urllib.parse import quote

from benchmarks.stack import drive, print_figures, real_stack, run_django

IDEAS = int(os.environ.get("BENCH_IDEAS", "10000"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))

WORDS = {
    "es": (
        ["Ahorra en", "Reduce", "Compara", "Planifica", "Apaga", "Comparte", "Congela"],
        ["la calefacción", "la compra semanal", "el transporte", "las vacaciones", "la luz",
         "el agua", "las suscripciones", "la comida", "el móvil", "los regalos"],
        ["con una lista", "cada domingo", "con el redondeo", "en familia", "con una hucha",
         "con un presupuesto", "sin darte cuenta", "con la app del banco"],
    ),
    "fr": (
        ["Économise sur", "Réduis", "Compare", "Planifie", "Éteins", "Partage", "Congèle"],
        ["le chauffage", "les courses de la semaine", "le transport", "les vacances",
         "l'électricité", "l'eau", "les abonnements", "les repas", "le portable", "les cadeaux"],
        ["avec une liste", "chaque dimanche", "avec l'arrondi", "en famille",
         "avec une tirelire", "avec un budget", "sans t'en rendre compte", "avec l'appli"],
    ),
    "en": (
        ["Save on", "Cut", "Compare", "Plan", "Switch off", "Share", "Freeze"],
        ["the heating", "the weekly shopping", "transport", "holidays", "electricity",
         "water", "subscriptions", "meals", "your phone", "gifts"],
        ["with a list", "every Sunday", "by rounding up", "as a family", "with a piggy bank",
         "on a budget", "without noticing", "with the bank's app"],
    ),
}  # fmt: skip


def sentences(rng: random.Random, count: int) -> list[tuple[str, str]]:
    out = []
    for n in range(count):
        language = ("es", "fr", "en")[n % 3]
        verbs, things, ways = WORDS[language]
        out.append((language, f"{rng.choice(verbs)} {rng.choice(things)} {rng.choice(ways)}"))
    return out


SEED = """
import os
import random
import time
import uuid

import numpy as np
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from accounts.models import User
from benchmarks.bench_similar import sentences
from campaigns.models import Campaign
from ideas import meaning, services
from ideas.models import Idea
from tenants.models import Tenant

call_command("seed_demo")
call_command("collectstatic", interactive=False, verbosity=0)
ing = Tenant.objects.get(slug="ing")
COUNT = int(os.environ["BENCH_IDEAS"])
rng = random.Random(7)
noise = np.random.default_rng(7)
started = time.perf_counter()
pool = sentences(rng, 600)
vectors = np.array([meaning.embed_idea(title=text, body="") for _, text in pool], dtype=np.float32)
print(f"embedded {len(pool)} distinct texts in {time.perf_counter() - started:.1f}s", flush=True)
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    round_id = genios.rounds.order_by("index").values_list("pk", flat=True).first()
    authors = list(User.objects.values_list("pk", flat=True))
    now = timezone.now()
    columns = ("public_id, tenant_id, campaign_id, round_id, author_id, kind, title, body, tags, "
               "language, video_provider, video_ref, state, hold_reasons, moderation_reason, "
               "vote_count, round_vote_count, comment_count, flag_count, trending_score, "
               "created_at, updated_at, submitted_at, published_at, stage, stage_note, "
               "stage_note_shown")
    picks = [rng.randrange(len(pool)) for _ in range(COUNT)]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ideas_idea ({columns}) FROM STDIN") as copy:
            for n, pick in enumerate(picks):
                language, title = pool[pick]
                copy.write_row((
                    uuid.uuid4(), ing.pk, genios.pk, round_id, rng.choice(authors), "text",
                    title, title + ".", ["hogar"], language, "", "", "published", [], "",
                    n % 50, 0, 0, 0, 0.0, now, now, now, now, "none", "", False,
                ))
        services.search_reindex(tenant=ing)
        ids = list(Idea.objects.filter(campaign=genios, title__in=[t for _, t in pool])
                   .order_by("pk").values_list("pk", flat=True))[-COUNT:]
        cursor.execute("SELECT pg_get_indexdef('idea_embedding_hnsw'::regclass)")
        index = cursor.fetchone()[0]
        cursor.execute("DROP INDEX idea_embedding_hnsw")
        columns = "tenant_id, campaign_id, idea_id, vector, text_digest, updated_at"
        with cursor.cursor.copy(f"COPY ideas_ideaembedding ({columns}) FROM STDIN") as copy:
            for pk, pick in zip(ids, picks):
                vector = vectors[pick] + noise.normal(0, 0.01, vectors.shape[1])
                vector /= np.linalg.norm(vector)
                text = "[" + ",".join(f"{v:.5f}" for v in vector) + "]"
                copy.write_row((ing.pk, genios.pk, pk, text, "bench", now))
        index_started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(index)
        print(f"HNSW index on {len(ids):,} ideas in {time.perf_counter() - index_started:.1f}s")
        cursor.execute("ANALYZE ideas_idea")
        cursor.execute("ANALYZE ideas_ideaembedding")
print(f"seeded {COUNT:,} ideas in {time.perf_counter() - started:.1f}s", flush=True)
"""

SELECTOR = """
import os
import random
import time

from django_scopes import scope

from benchmarks.bench_similar import sentences
from campaigns.models import Campaign
from ideas import selectors
from tenants.models import Tenant

ing = Tenant.objects.get(slug="ing")
typed = [text for _, text in sentences(random.Random(11), 300)]
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    for text in typed[:10]:  # load the encoder, warm the caches
        selectors.similar_ideas(genios, text)
    latencies, found = [], 0
    for text in typed:
        started = time.perf_counter()
        found += len(selectors.similar_ideas(genios, text))
        latencies.append(time.perf_counter() - started)
latencies.sort()
p50 = latencies[len(latencies) // 2] * 1000
p95 = latencies[int(len(latencies) * 0.95)] * 1000
print(f"similar_ideas selector, {len(typed)} typed titles in es/fr/en: "
      f"median {p50:.1f} ms, p95 {p95:.1f} ms, {found / len(typed):.1f} ideas each", flush=True)
"""


def main() -> None:
    with real_stack(workers=int(os.environ.get("BENCH_WORKERS", "2"))) as stack:
        started = time.perf_counter()
        run_django({**stack.env, "BENCH_IDEAS": str(IDEAS)}, SEED)
        print(f"seed: {time.perf_counter() - started:.1f}s", flush=True)
        run_django(stack.env, SELECTOR)
        typed = [text for _, text in sentences(random.Random(13), 60)]
        paths = [
            stack.url("ing", f"/challenges/genios-del-ahorro/ideas/similar/?title={quote(text)}")
            for text in typed
        ]

        def request(_worker, n, paths=paths):
            host, path = paths[n % len(paths)]
            return "GET", host, path, {}, None

        drive(stack, request, total=40)  # each worker loads the encoder once
        label = f"similar ideas fragment over HTTP, {IDEAS:,} ideas"
        print_figures(label, drive(stack, request, duration=DURATION, concurrency=CONCURRENCY))


if __name__ == "__main__":
    main()
