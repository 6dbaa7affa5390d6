"""The operators' metrics page: business counters read from the database,
Celery queues and tasks, and never on a tenant's host."""

import pytest
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def scrape(client, host="localhost", **headers):
    response = client.get("/metrics", HTTP_HOST=host, **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_business_counters_follow_what_people_do(client, submit, cast, make_voter, withdraw):
    before = scrape(client)
    idea = submit()
    first, second = make_voter(), make_voter()
    cast(idea, first)
    cast(idea, second)
    withdraw(idea, second)
    after = scrape(client)

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("ruche_votes", status="counted") == 1  # two cast, one taken back
    assert grew("ruche_ideas", state="published") == 1
    # The platform's own readings are there too.
    assert ("ruche_celery_queue_length", (("queue", "celery"),)) in after
    assert any(name == "ruche_database_connections" for name, _ in after)


def test_requests_are_counted(client):
    client.get("/healthz")
    figures = scrape(client)
    assert any(
        name.startswith("django_http_requests_total_by_method") and value >= 1
        for (name, _), value in figures.items()
    )


def test_a_tenants_host_has_no_metrics_page(client, ing):
    response = client.get("/metrics", HTTP_HOST=host_of(ing))
    assert response.status_code == 404
    assert b"ruche_votes" not in response.content


def test_an_internal_name_is_answered(client):
    """A scraper reaches each process by its address, not a public name."""
    figures = scrape(client, host="10.0.0.7:8000")
    assert any(name == "ruche_database_connections" for name, _ in figures)


@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_with_a_token_only_the_scraper_that_sends_it(client):
    assert client.get("/metrics", HTTP_HOST="localhost").status_code == 401
    wrong = client.get("/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    assert scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")


def test_tasks_are_timed_and_counted(client, drain):
    from core.metrics import tasks

    before = tasks.labels(task="ideas.tasks.trending_refresh_all", outcome="success")._value.get()
    from ideas.tasks import trending_refresh_all

    trending_refresh_all.delay()
    drain()
    figures = scrape(client)
    key = (
        "ruche_celery_tasks_total",
        (("outcome", "success"), ("task", "ideas.tasks.trending_refresh_all")),
    )
    assert figures[key] == before + 1


def test_the_grafana_dashboard_reads_metrics_the_page_has(client, drain, submit):
    """Every series the shipped dashboard charts is on the page (a renamed
    metric would leave an empty chart)."""
    import json
    import re
    from pathlib import Path

    from ideas.tasks import trending_refresh_all

    submit()
    trending_refresh_all.delay()
    drain()
    client.get("/healthz")
    page = client.get("/metrics", HTTP_HOST="localhost").content.decode()
    # Sample names, and the names of families with no sample yet (no payout).
    names = {name for name, _ in scrape(client)} | {
        family.name + ("_total" if family.type == "counter" else "")
        for family in text_string_to_metric_families(page)
    }
    dashboard = Path(__file__).resolve().parents[2] / "deploy/grafana/ruche-dashboard.json"
    panels = json.loads(dashboard.read_text())["panels"]
    wanted = set()
    for panel in panels:
        for target in panel["targets"]:
            wanted |= set(re.findall(r"\b((?:ruche|django)_[a-z_]+)", target["expr"]))
    assert len(wanted) >= 10
    assert wanted <= names, wanted - names


def test_without_a_token_only_the_inside_network_is_answered(client):
    def status(address, **headers):
        return client.get("/metrics", HTTP_HOST="localhost", REMOTE_ADDR=address, **headers)

    assert status("10.1.2.3").status_code == 200
    # A public address, or a public request relayed by a proxy: not found.
    assert status("93.184.216.34").status_code == 404
    assert status("10.1.2.3", HTTP_X_FORWARDED_FOR="93.184.216.34").status_code == 404


def test_production_never_redirects_the_operators_paths_to_https():
    """Scrapers and the TLS proxy speak plain HTTP inside the network."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from backup import with_database

    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost', REMOTE_ADDR='10.0.0.9')\n"
        "print(c.get('/metrics').status_code,"
        " c.get('/internal/tls-allowed?domain=x.y').status_code, c.get('/').status_code)\n"
    )
    database = with_database(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 50, "DATABASE_URL": database}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    metrics, tls, landing = done.stdout.split()
    assert (metrics, tls, landing) == ("200", "404", "301")  # x.y is not ours; / goes to https
