"""The jury's pages on the largest shortlist a challenge allows, through the real
stack (gunicorn, PostgreSQL, Redis; production settings).

    .venv/bin/python -m benchmarks.bench_jury

Seeds the demo, then a round of "Genios del Ahorro" under review with a
shortlist of BENCH_IDEAS ideas (default 100, the most a challenge allows)
scored by BENCH_JURORS jurors (default 50, the largest jury) on the demo's
rubric of three criteria: 5,000 score sheets and 15,000 scores. Prints requests
per second and the median and p95 latency of the chair's round page (the live
aggregate of every score), a juror's dashboard and scoring page, an autosave
(htmx POST) and the API's aggregate.

The round's rows are written directly (as bench_gallery writes its ideas):
the services' own costs are what the tests measure; here it is the reads.
BENCH_SECONDS, BENCH_CONCURRENCY and BENCH_WORKERS change the run.
"""

import os
import time

from benchmarks.stack import drive, print_figures, real_stack, run_django_for_json

IDEAS = int(os.environ.get("BENCH_IDEAS", "100"))
JURORS = int(os.environ.get("BENCH_JURORS", "50"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))

SEED = """
import datetime as dt
import json
import os
import random
import secrets

from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership, User
from accounts.sessions import SESSION_TENANT_KEY
from campaigns.models import Campaign, Round
from ideas.models import Idea
from juries import services
from juries.models import Assignment, JuryMember, RoundCriterion, Score, Shortlist, ShortlistEntry
from tenants.models import Tenant

call_command("seed_demo")
call_command("collectstatic", interactive=False, verbosity=0)
IDEAS, JURORS = int(os.environ["BENCH_IDEAS"]), int(os.environ["BENCH_JURORS"])
rng = random.Random(7)
ing = Tenant.objects.get(slug="ing")
owner = User.objects.get(email="owner@ing.localhost")
with scope(tenant=ing):
    genios = Campaign.objects.get(tenant=ing, slug="genios-del-ahorro")
    Campaign.objects.filter(pk=genios.pk).update(jury_size=JURORS, shortlist_size=IDEAS)
    genios.refresh_from_db()
    jury = services.jury_ensure(campaign=genios)
    seated = list(JuryMember.objects.filter(jury=jury).values_list("user_id", flat=True))
    for n in range(JURORS - len(seated)):
        user = account_services.user_create(email=f"bench-juror{n}@ing.localhost",
                                            display_name=f"Juror {n}")
        account_services.membership_grant(tenant=ing, user=user, role=Membership.Role.JUROR)
        services.jury_member_add(campaign=genios, user=user, actor=owner)
    jurors = list(JuryMember.objects.filter(jury=jury).order_by("created_at", "pk"))
    chair = next(m for m in jurors if m.role == "chair")
    round_ = Round.objects.get(campaign=genios, index=1)
    authors = list(User.objects.filter(email__endswith="@example.com").values_list("pk", flat=True))
    now = timezone.now()
    ideas = Idea.objects.bulk_create(
        Idea(tenant=ing, campaign=genios, round=round_, author_id=rng.choice(authors),
             title=f"Truco de ahorro {n}", body="Una idea para ahorrar cada semana. " * 8,
             state="published", published_at=now, submitted_at=now - dt.timedelta(minutes=n))
        for n in range(IDEAS)
    )
    shortlist = Shortlist.objects.create(tenant=ing, round=round_, jury=jury, size=IDEAS,
                                         deadline=now + dt.timedelta(days=3))
    criteria = RoundCriterion.objects.bulk_create(
        RoundCriterion(tenant=ing, shortlist=shortlist, position=i, name=c.name,
                       weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max)
        for i, c in enumerate(genios.criteria.order_by("position"))
    )
    entries = ShortlistEntry.objects.bulk_create(
        ShortlistEntry(tenant=ing, shortlist=shortlist, idea=idea, source="ranking",
                       ranking_rank=n + 1, round_votes=IDEAS - n)
        for n, idea in enumerate(ideas)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(tenant=ing, round=round_, entry=entry, idea_id=entry.idea_id,
                   juror_id=member.user_id, position=n + 1,
                   state="pending" if member.user_id == chair.user_id and n == 0 else "submitted",
                   submitted_at=None if member.user_id == chair.user_id and n == 0 else now)
        for member in jurors for n, entry in enumerate(entries)
    )
    Score.objects.bulk_create(
        Score(tenant=ing, assignment=a, criterion=c, value=rng.randint(1, 10))
        for a in assignments if a.state == "submitted" for c in criteria
    )
    Round.objects.filter(pk=round_.pk).update(state="in_review")
    # The chair's own last sheet, submitted through the service: the aggregate shows.
    first = next(a for a in assignments if a.state == "pending")
    values = {str(c.public_id): 7 for c in criteria}
    services.assignment_submit(assignment=first, juror=first.juror, values=values)
    member = next(m for m in jurors if m.role != "chair")
    mine = Assignment.objects.filter(round=round_, juror_id=member.user_id).order_by("position")
    target = mine[IDEAS // 2]  # an idea the juror is still scoring: the autosave's
    Score.objects.filter(assignment=target).delete()
    Assignment.objects.filter(pk=target.pk).update(state="pending", submitted_at=None)
    sessions = {}
    for name, user_id in (("chair", chair.user_id), ("juror", member.user_id)):
        user = User.objects.get(pk=user_id)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SESSION_TENANT_KEY] = ing.pk  # a session works on its tenant only
        session.create()
        sessions[name] = session.session_key
    csrf = secrets.token_urlsafe(24)[:32].replace("-", "a").replace("_", "b")
    out = {
        "round": str(round_.public_id),
        "assignment": str(target.public_id),
        "criterion": str(criteria[0].public_id),
        "sessions": sessions,
        "csrf": csrf,
        "scores": Score.objects.filter(assignment__round=round_).count(),
    }
with open(os.environ["BENCH_OUT"], "w") as handle:
    json.dump(out, handle)
"""


def main() -> None:
    with real_stack(workers=int(os.environ.get("BENCH_WORKERS", "4"))) as stack:
        started = time.perf_counter()
        seeded = run_django_for_json(
            {**stack.env, "BENCH_IDEAS": str(IDEAS), "BENCH_JURORS": str(JURORS)}, SEED
        )
        print(
            f"seed: {time.perf_counter() - started:.1f}s — {IDEAS} ideas x {JURORS} jurors, "
            f"{seeded['scores']} scores",
            flush=True,
        )

        def as_person(name, extra=None):
            cookie = f"sessionid={seeded['sessions'][name]}; csrftoken={seeded['csrf']}"
            return {"Cookie": cookie, **(extra or {})}

        round_id, assignment = seeded["round"], seeded["assignment"]
        form = f"score-{seeded['criterion']}=7&note=bench".encode()
        cases = [
            ("chair's round page (live aggregate)", "GET", f"/jury/rounds/{round_id}/",
             as_person("chair"), None),
            ("API aggregate (chair)", "GET", f"/api/v1/jury/rounds/{round_id}/aggregate",
             as_person("chair"), None),
            ("juror's dashboard", "GET", "/jury/", as_person("juror"), None),
            ("juror's round page", "GET", f"/jury/rounds/{round_id}/", as_person("juror"), None),
            ("scoring page", "GET", f"/jury/assignments/{assignment}/", as_person("juror"),
             None),
        ]  # fmt: skip
        for label, method, path, headers, body in cases:
            host, path = stack.url("ing", path)

            def request(_worker, _n, method=method, host=host, path=path, headers=headers,
                        body=body):  # fmt: skip
                return method, host, path, headers, body

            drive(stack, request, total=10)  # warm the workers' connections and caches
            print_figures(label, drive(stack, request, duration=DURATION, concurrency=CONCURRENCY))
        print(
            "(the autosave writes one score sheet: measured once per request below, "
            "single connection)",
            flush=True,
        )
        headers = as_person(
            "juror",
            {
                "HX-Request": "true",
                "X-CSRFToken": seeded["csrf"],
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        host, path = stack.url("ing", f"/jury/assignments/{assignment}/save/")
        print_figures(
            "autosave (htmx POST)",
            drive(
                stack,
                lambda _w, _n: ("POST", host, path, headers, form),
                duration=DURATION,
                concurrency=1,
            ),
        )


if __name__ == "__main__":
    main()
