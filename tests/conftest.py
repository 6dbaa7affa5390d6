"""Fixtures shared by the whole suite.

Personas (as in every permission test):
    owner, admin, moderator, juror — ING's team
    participant                    — a person with no role in ING
    stranger                       — the owner of another tenant (Decathlon)
    visitor                        — nobody signed in (an anonymous client)

Clients speak to a tenant's host: `client_for(tenant, user=None)`.
Data is set up through services, never by hand-written rows.
"""

import contextlib
import os
import time

import pytest
from celery import shared_task
from django.test import Client
from django_scopes import scope, scopes_disabled

from accounts import services as account_services
from accounts.models import Membership
from accounts.sessions import SESSION_TENANT_KEY
from tenants import services as tenant_services

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run in a thread with a running loop unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with an empty cache (rate limits, sessions, counters)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def make_tenant(db):
    def make(slug, name=None, **fields):
        return tenant_services.tenant_create(slug=slug, name=name or slug.title(), **fields)

    return make


@pytest.fixture
def ing(make_tenant):
    return make_tenant(
        "ing",
        "ING Direct",
        default_language="es",
        time_zone="Europe/Madrid",
        primary_colour="#ff6200",
    )


@pytest.fixture
def decathlon(make_tenant):
    return make_tenant("decathlon", "Decathlon", default_language="fr")


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(email=None, **fields):
        counter["n"] += 1
        email = email or f"person{counter['n']}@example.com"
        fields.setdefault("display_name", email.split("@")[0].title())
        return account_services.user_create(email=email, password="pw-Secret-123", **fields)

    return make


@pytest.fixture
def make_member(make_user):
    def make(tenant, role, email=None):
        user = make_user(email)
        with scope(tenant=tenant):
            account_services.membership_grant(tenant=tenant, user=user, role=role)
        return user

    return make


def ing_member(role: str, email: str):
    """A fixture: the person of that e-mail, with that role on ING's team
    (the fixture's name is the name it is given in the conftest)."""

    @pytest.fixture
    def member(ing, make_member):
        return make_member(ing, role, email)

    return member


owner = ing_member(Membership.Role.OWNER, "owner@ing.example")
admin = ing_member(Membership.Role.ADMIN, "admin@ing.example")
moderator = ing_member(Membership.Role.MODERATOR, "moderator@ing.example")
juror = ing_member(Membership.Role.JUROR, "juror@ing.example")


@pytest.fixture
def participant(make_user):
    return make_user("participant@example.com", display_name="Pat")


@pytest.fixture
def stranger(decathlon, make_member):
    return make_member(decathlon, Membership.Role.OWNER, "owner@decathlon.example")


@pytest.fixture
def seeded_genios(django_capture_on_commit_callbacks):
    """The demo seeded twice, its after-commit work run the first time (the
    second run must add nothing): ING's "Genios del Ahorro", read in ING's scope."""
    from django.core.management import call_command

    from campaigns.models import Campaign
    from tenants.models import Tenant

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    with scope(tenant=Tenant.objects.get(slug="ing")):
        return Campaign.objects.get(slug="genios-del-ahorro")


def host_of(tenant) -> str:
    from tenants.selectors import primary_hostname

    return primary_hostname(tenant)


def force_login_on(client, user, tenant=None) -> None:
    """`client.force_login(user)` bound to the tenant's host (None: the platform's),
    as a real sign-in there is (accounts.sessions): an unbound session is signed out."""
    client.force_login(user)
    session = client.session
    session[SESSION_TENANT_KEY] = tenant.pk if tenant is not None else None
    session.save()


@pytest.fixture
def client_for():
    """A Django test client on the tenant's host, signed in as `user` if given."""

    def make(tenant=None, user=None, **defaults):
        host = host_of(tenant) if tenant is not None else "localhost"
        client = Client(HTTP_HOST=host, **defaults)
        if user is not None:
            force_login_on(client, user, tenant)
        return client

    return make


@pytest.fixture
def in_scope():
    """`with in_scope(tenant):` — read tenant-owned rows in a test."""
    return scope


@pytest.fixture
def unscoped():
    return scopes_disabled


# --- Celery: a real worker on the real Redis broker ---------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A Celery worker thread consuming this test's Redis database."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def drain(celery_worker):
    """Wait until the worker has run every task queued so far: a sentinel task
    goes to the back of each queue (interactive, media, celery), and the solo
    worker takes each queue's tasks in order. Use it instead of a sleep wherever
    a test must be sure a task has run (a duplicate that must change nothing)."""
    import uuid

    from django.conf import settings
    from django.core.cache import cache

    def run(timeout: float = 120.0) -> None:
        tokens = []
        for queue in settings.CELERY_TASK_QUEUES:
            tokens.append(uuid.uuid4().hex)
            queue_sentinel.apply_async((tokens[-1],), queue=queue.name)
        deadline = time.monotonic() + timeout  # only guards against a hang
        while not all(cache.get(f"sentinel:{token}") for token in tokens):
            if time.monotonic() > deadline:
                raise AssertionError("the worker did not reach the sentinels")
            time.sleep(0.02)

    return run


@shared_task(name="tests.queue_sentinel")
def queue_sentinel(token: str) -> None:
    from django.core.cache import cache

    cache.set(f"sentinel:{token}", True, 300)


# --- Browsers: Debian's Chromium driven by Playwright ---------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Every browser wait is for a condition (an element, a URL, a text); this is
# only how long before a hang is called a failure. It is generous because CI
# shares its two cores with other work.
BROWSER_WAIT_MS = 60_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_WAIT_MS)
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class AxeWatch:
    """axe-core (WCAG 2.1 A/AA) on every page of ours a journey opens: after
    each `goto` and on the page where the journey ends. The test fails on
    any violation. Pages of other origins (a fake provider, a brand's own site
    embedding ours) are not ours to fix and are skipped; a test opts out with
    `@pytest.mark.axe_exempt("why")`."""

    def __init__(self, page, request):
        self.page, self.found, self.checked = page, [], set()
        self.enabled = request.node.get_closest_marker("axe_exempt") is None
        self.ours = None
        if self.enabled and "live_server" in request.fixturenames:
            self.ours = request.getfixturevalue("live_server").url.rsplit(":", 1)[1]
        goto = page.goto

        def goto_and_check(url, *args, **kwargs):
            response = goto(url, *args, **kwargs)
            self.check()
            return response

        page.goto = goto_and_check

    def check(self):
        from urllib.parse import urlsplit

        from tests.browser.axe import axe_violations, describe

        url = self.page.url
        if not self.enabled or self.ours is None or self.page.is_closed():
            return
        if str(urlsplit(url).port) != self.ours or url in self.checked:
            return
        self.checked.add(url)
        violations = axe_violations(self.page)
        if violations:
            self.found.append(f"axe on {url}:\n{describe(violations)}")

    def verdict(self):
        with contextlib.suppress(Exception):  # a page mid-navigation: its gotos were checked
            self.check()
        assert not self.found, "\n".join(self.found)


def _watched_page(browser, request, **options):
    context = browser.new_context(locale="en-US", **options)
    page = context.new_page()
    page.set_default_timeout(BROWSER_WAIT_MS)
    watch = AxeWatch(page, request)
    return context, page, watch


@pytest.fixture
def page(browser, request):
    context, page, watch = _watched_page(browser, request, viewport={"width": 1280, "height": 900})
    yield page
    try:
        watch.verdict()
    finally:
        context.close()


@pytest.fixture
def phone(browser, request):
    """A phone-sized page (iPhone 13-like viewport, touch)."""
    context, page, watch = _watched_page(
        browser, request, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    try:
        watch.verdict()
    finally:
        context.close()


@pytest.fixture
def tenant_url(live_server):
    """`tenant_url(tenant, "/path")` → http://<slug>.localhost:<port>/path on the live server."""
    port = live_server.url.rsplit(":", 1)[1]

    def make(tenant, path="/"):
        return f"http://{host_of(tenant)}:{port}{path}"

    return make
