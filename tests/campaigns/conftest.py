"""Challenges for the tests, made through the services.

genios          ING's reference challenge, a draft starting next Monday
open_genios     the same, published and open (started yesterday)
make_challenge  any challenge: make_challenge(tenant, owner, **settings)
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope

from campaigns import services
from campaigns.demo_challenges import genios_del_ahorro

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def local_midnight(days_from_today: int, tz=MADRID) -> dt.datetime:
    today = timezone.now().astimezone(tz).date() + dt.timedelta(days=days_from_today)
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz)


def this_monday(tz=MADRID) -> dt.datetime:
    """The Monday of this week at 00:00 (today, if today is a Monday)."""
    today = timezone.now().astimezone(tz).date()
    return dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(0, 0), tzinfo=tz)


def next_monday(tz=MADRID, weeks: int = 0) -> dt.datetime:
    today = timezone.now().astimezone(tz).date()
    monday = today + dt.timedelta(days=7 - today.weekday() + 7 * weeks)
    return dt.datetime.combine(monday, dt.time(0, 0), tzinfo=tz)


@pytest.fixture
def make_challenge():
    def make(tenant, actor, *, publish=False, **settings):
        settings.setdefault("title", "A challenge")
        with scope(tenant=tenant):
            campaign = services.campaign_create(tenant=tenant, actor=actor, **settings)
            if publish:
                campaign = services.campaign_publish(campaign=campaign, actor=actor)
        return campaign

    return make


@pytest.fixture
def genios(ing, owner, make_challenge):
    return make_challenge(ing, owner, **genios_del_ahorro(next_monday()))


@pytest.fixture
def open_genios(ing, owner, make_challenge):
    return make_challenge(ing, owner, publish=True, **genios_del_ahorro(this_monday()))


@pytest.fixture
def ready_settings():
    """What a challenge needs to be publishable, beyond its dates."""

    def settings(**extra):
        return {
            "pitch": "A pitch.",
            "terms_text": "The rules.",
            "prizes": [{"round_kind": "weekly", "amount": Decimal("100"), "currency": "EUR"}],
            **extra,
        }

    return settings
