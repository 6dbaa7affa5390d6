"""The rate-limit mechanism every limited view shares (core.ratelimit): rules,
fixed windows in Redis, per person and per network, per tenant, and taking an
attempt back. The limited views themselves: tests/ideas/test_rate_limits.py."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from core import ratelimit
from core.ratelimit import Limit, RateLimited, hit, parse, take_back

pytestmark = pytest.mark.django_db  # the cache fixture empties Redis between tests


def test_rules_are_read_and_mistakes_fail_loudly():
    assert parse("30/10m/person, 300/10m/network") == [
        Limit(30, 600, "person"),
        Limit(300, 600, "network"),
    ]
    assert parse("60/m/person") == [Limit(60, 60, "person")]
    assert parse("") == []
    with pytest.raises(ImproperlyConfigured):
        parse("30 per minute")


def test_a_window_refuses_past_its_limit_and_opens_again(settings):
    settings.RATE_LIMITS = {"comments": "2/10m/person"}
    start = dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            hit(action="comments", tenant_id=1, person="user:1", ip=None)
        with pytest.raises(RateLimited) as refused:
            hit(action="comments", tenant_id=1, person="user:1", ip=None)
    assert refused.value.status == 429
    assert refused.value.retry_after == 595  # the window ends at 10:10:00
    assert "Try again in 10 minutes." in refused.value.message
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert hit(action="comments", tenant_id=1, person="user:1", ip=None)


def test_people_tenants_and_networks_count_apart(settings):
    settings.RATE_LIMITS = {"search": "1/m/person,2/m/network"}
    hit(action="search", tenant_id=1, person="user:1", ip="203.0.113.1")
    hit(action="search", tenant_id=2, person="user:1", ip="203.0.113.1")  # another brand
    hit(action="search", tenant_id=1, person="user:2", ip="203.0.113.2")  # same /24
    with pytest.raises(RateLimited) as refused:
        hit(action="search", tenant_id=1, person="user:3", ip="203.0.113.3")
    assert "Many people on your network" in refused.value.message
    hit(action="search", tenant_id=1, person="user:3", ip="198.51.100.3")  # another network


def test_a_refused_attempt_counts_nothing(settings):
    settings.RATE_LIMITS = {"flags": "1/h/person,5/h/network"}
    hit(action="flags", tenant_id=1, person="user:1", ip="203.0.113.1")
    for _ in range(3):
        with pytest.raises(RateLimited):
            hit(action="flags", tenant_id=1, person="user:1", ip="203.0.113.1")
    # The network counted one attempt, not four: four others may still flag.
    for person in range(2, 6):
        hit(action="flags", tenant_id=1, person=f"user:{person}", ip="203.0.113.9")


def test_taking_an_attempt_back(settings):
    settings.RATE_LIMITS = {"follows": "1/h/person"}
    keys = hit(action="follows", tenant_id=1, person="user:1", ip=None)
    take_back(keys)
    hit(action="follows", tenant_id=1, person="user:1", ip=None)


def test_the_network_of_an_address():
    assert ratelimit.network_of("203.0.113.77") == "203.0.113.0/24"
    assert ratelimit.network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert ratelimit.network_of("::ffff:203.0.113.77") == "203.0.113.0/24"
    assert ratelimit.network_of("not an address") == ""
