"""Visits, challenges and people for the insights tests, made through the
services and real requests (the challenge and voters are the voting tests'
own fixtures).

browser         a test client on ING's host as one person's browser:
                browser(ip, agent, user=None) — the address and user-agent the
                visitor key is made from
fold            the beat task's work, inline: the queued views into rows, then
                the figures of the given days rebuilt
"""

import pytest
from django.test import Client
from django_scopes import scope

from insights import services, visits
from tests.conftest import force_login_on, host_of
from tests.voting.conftest import (  # noqa: F401
    author,
    cast,
    genios,
    idea,
    make_campaign,
    make_voter,
    submit,
)

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _fresh_salts():
    """Redis is emptied before each test: the processes' copies of salts go too."""
    visits.forget_salts()
    yield
    visits.forget_salts()


@pytest.fixture
def browser(ing):
    def make(ip: str, agent: str, user=None) -> Client:
        client = Client(HTTP_HOST=host_of(ing), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
        if user is not None:
            force_login_on(client, user, ing)
        return client

    return make


@pytest.fixture
def fold():
    def run(tenant, days):
        services.visits_drain()
        with scope(tenant=tenant):
            for day in days:
                services.figures_refresh(tenant=tenant, day=day)

    return run
