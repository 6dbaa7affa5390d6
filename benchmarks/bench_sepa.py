"""The brand's SEPA export of 1,000 approved payouts, and the queries of the
jury chair's round page, on the real database (PostgreSQL, production settings).

    make bench-sepa

Seeds the demo, then gives Auchan BENCH_PAYOUTS approved payouts (default
1,000) of 500 € to 50 winners whose payout details went through the service.
Times `rewards.services.batch_export` in one process, as the console's request
would run it: the first export (which also parses the XSD, once per process),
then BENCH_RUNS more (default 7; the payouts are put back to approved between
runs, untimed) with their median and p95, the queries of one export, and the
CPU it cost in this process and in its PostgreSQL backend (what a shared
machine's load does not change, unlike the wall-clock time). Then
the chair of Auchan's week 3 scores the last ideas through the services and
reads the round's page (the live aggregate and the decision form): its number
of queries is printed.

The payouts' rows are written directly (as bench_gallery writes its ideas):
the services that make them are the tests' business; here it is the export.
"""

import os
import time

from benchmarks.stack import real_stack, run_django_for_json

PAYOUTS = int(os.environ.get("BENCH_PAYOUTS", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

CODE = """
import json
import os
import statistics
import time
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import User
from accounts.sessions import SESSION_TENANT_KEY
from campaigns.models import Campaign, Round
from juries import services as jury_services
from juries.models import Assignment, JuryMember, RoundCriterion
from rewards import services
from rewards.models import Award, Payout, PayoutBatch, PayoutBatchLine
from tenants.models import Tenant

PAYOUTS, RUNS = int(os.environ["BENCH_PAYOUTS"]), int(os.environ["BENCH_RUNS"])
IBANS = ["DE89370400440532013000", "FR1420041010050500013M02606", "ES9121000418450200051332"]

call_command("seed_demo")
call_command("collectstatic", interactive=False, verbosity=0)  # the page renders
auchan = Tenant.objects.get(slug="auchan")
owner = User.objects.get(email="owner@auchan.localhost")
out = {}
with scope(tenant=auchan):
    campaign = Campaign.objects.filter(tenant=auchan).order_by("pk").first()
    round_ = Round.objects.filter(campaign=campaign).order_by("-index").first()
    winners = []
    for n in range(50):
        user = account_services.user_create(email=f"bench-winner{n}@example.com",
                                            display_name=f"Winner {n}")
        services.payout_details_save(tenant=auchan, user=user, holder_name=f"Winner {n}",
                                     iban=IBANS[n % len(IBANS)])
        winners.append(user)
    now = timezone.now()
    awards = Award.objects.bulk_create(
        Award(tenant=auchan, campaign=campaign, round=round_, rank=1000 + n, idea=None,
              idea_title=f"Astuce {n}", amount=Decimal("500.00"), currency="EUR",
              split_rule="equal", created_at=now)
        for n in range(PAYOUTS)
    )
    payouts = Payout.objects.bulk_create(
        Payout(tenant=auchan, award=award, campaign=campaign, recipient=winners[n % 50],
               recipient_name=f"Winner {n % 50}", share_bp=10_000, amount=award.amount,
               currency="EUR", state="approved", idempotency_key=f"bench:{award.pk}:1",
               approved_by=owner, approved_at=now, created_at=now)
        for n, award in enumerate(awards)
    )
    ids = [p.pk for p in payouts]

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def db_cpu():  # the PostgreSQL backend's CPU seconds (same machine)
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def export():
        with CaptureQueriesContext(connection) as queries:
            started, cpu, db = time.perf_counter(), time.process_time(), db_cpu()
            batch = services.batch_export(tenant=auchan, actor=owner)
            took = time.perf_counter() - started
            cpu, db = time.process_time() - cpu, db_cpu() - db
        assert batch.count == PAYOUTS, batch.count
        cpus.append((cpu, db))
        return batch, took, len(queries)

    def put_back(batch):  # untimed: the payouts approved again for the next run
        PayoutBatchLine.objects.filter(batch=batch).delete()
        PayoutBatch.objects.filter(pk=batch.pk).delete()
        Payout.objects.filter(pk__in=ids).update(state="approved", exported_at=None)

    cpus = []
    batch, first, queries = export()
    put_back(batch)
    cpus.clear()
    times = []
    for _ in range(RUNS):
        batch, took, queries = export()
        times.append(took)
        put_back(batch)
    times.sort()
    out["export"] = {
        "first": first,
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * len(times)) - 1)],
        "min": times[0],
        "max": times[-1],
        "queries": queries,
        "cpu": statistics.median(c for c, _db in cpus),
        "db_cpu": statistics.median(db for _c, db in cpus),
        "load": os.getloadavg()[0],
    }

    # The chair of week 3 scores what is left, then reads the round's page.
    review = Round.objects.get(campaign=campaign, state="in_review")
    chair = JuryMember.objects.get(jury__campaign=campaign, role="chair").user
    criteria = list(RoundCriterion.objects.filter(shortlist__round=review).order_by("position"))
    pending = Assignment.objects.filter(round=review, juror=chair, state="pending")
    for assignment in pending.select_related("round", "idea"):
        jury_services.assignment_submit(assignment=assignment, juror=chair,
                                        values={str(c.public_id): 7 for c in criteria})
    client = Client(HTTP_HOST="auchan.localhost", secure=True)
    client.force_login(chair)
    session = client.session
    session[SESSION_TENANT_KEY] = auchan.pk
    session.save()
    url = f"/jury/rounds/{review.public_id}/"
    client.get(url)  # warm: the page as a chair reading along sees it
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200, page.status_code
    out["chair"] = {
        "queries": len(queries),
        "ideas": Assignment.objects.filter(round=review).values("idea_id").distinct().count(),
        "jurors": Assignment.objects.filter(round=review).values("juror_id").distinct().count(),
        "aggregate": 'value="confirm"' in page.content.decode(),
    }
with open(os.environ["BENCH_OUT"], "w") as handle:
    json.dump(out, handle)
"""


def main() -> None:
    with real_stack(workers=1) as stack:
        started = time.perf_counter()
        out = run_django_for_json(
            {**stack.env, "BENCH_PAYOUTS": str(PAYOUTS), "BENCH_RUNS": str(RUNS)}, CODE
        )
        print(f"seed and runs: {time.perf_counter() - started:.1f}s", flush=True)
        ms = 1000
        export = out["export"]
        print(
            f"SEPA export of {PAYOUTS} payouts: first {export['first'] * ms:.0f} ms "
            f"(parses the XSD), then {RUNS} runs: median {export['median'] * ms:.0f} ms, "
            f"p95 {export['p95'] * ms:.0f} ms (min {export['min'] * ms:.0f}, "
            f"max {export['max'] * ms:.0f}); {export['queries']} queries per export",
            flush=True,
        )
        print(
            f"  CPU per export (median): web process {export['cpu'] * ms:.0f} ms, "
            f"PostgreSQL {export['db_cpu'] * ms:.0f} ms; load average {export['load']:.1f} "
            f"on {os.cpu_count()} cores",
            flush=True,
        )
        chair = out["chair"]
        print(
            f"jury chair's round page: {chair['queries']} queries "
            f"({chair['ideas']} ideas, {chair['jurors']} jurors, "
            f"aggregate shown: {chair['aggregate']})",
            flush=True,
        )


if __name__ == "__main__":
    main()
