"""Challenges, ideas and voters for the voting tests, made through the services.

genios          ING's "Genios del Ahorro", published, open (weekly rounds)
make_campaign   any open challenge of ING: make_campaign(**settings)
author          a participant who accepted ING's terms and submits ideas
idea            a published idea of genios, by `author`
make_voter      a person who accepted ING's terms; an account a month old
                unless `age` says otherwise (a timedelta)
cast / withdraw the services, inside ING's scope
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import User
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from tests.campaigns.conftest import this_monday
from voting import services

_numbers = itertools.count(1)


def accept_terms(user, tenant):
    with scope(tenant=tenant):
        account_services.consent_accept(
            tenant=tenant, user=user, version=1, display_name=user.display_name
        )
    return user


@pytest.fixture
def make_voter(ing):
    def make(tenant=None, *, age=dt.timedelta(days=30), email=None, terms=True):
        tenant = tenant or ing
        n = next(_numbers)
        user = account_services.user_create(
            email=email or f"voter{n}@example.com", display_name=f"Voter {n}"
        )
        if age:
            # The account's past: when it was opened (a fact, not a business write).
            User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - age)
            user.refresh_from_db()
        if terms:
            accept_terms(user, tenant)
        return user

    return make


@pytest.fixture
def make_campaign(ing, owner):
    def make(tenant=None, *, starts_at=None, **settings):
        tenant = tenant or ing
        values = genios_del_ahorro(starts_at or this_monday())
        values.update(settings)
        actor = owner if tenant == ing else settings.pop("actor", None)
        with scope(tenant=tenant):
            campaign = campaign_services.campaign_create(tenant=tenant, actor=actor, **values)
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=actor)
            round_cycle.campaign_catch_up(campaign=campaign)
            campaign.refresh_from_db()
        return campaign

    return make


@pytest.fixture
def genios(make_campaign):
    return make_campaign()


@pytest.fixture
def author(make_voter):
    return make_voter(email="author@example.com")


@pytest.fixture
def submit(genios, author):
    def make(campaign=None, by=None, title="Redondea tus compras", **values):
        campaign = campaign or genios
        values.setdefault("body", "Cada compra se redondea al euro y la diferencia se ahorra.")
        with scope(tenant=campaign.tenant):
            return idea_services.idea_submit(
                campaign=campaign, author=by or author, title=title, **values
            )

    return make


@pytest.fixture
def idea(submit):
    made = submit()
    assert made.state == "published"
    return made


@pytest.fixture
def cast():
    def vote(idea, voter, **kwargs):
        with scope(tenant=idea.tenant):
            return services.vote_cast(idea=idea, voter=voter, **kwargs)

    return vote


@pytest.fixture
def withdraw():
    def take_back(idea, voter, **kwargs):
        with scope(tenant=idea.tenant):
            return services.vote_withdraw(idea=idea, voter=voter, **kwargs)

    return take_back


def fresh(idea):
    """The idea as stored now (counters included)."""
    from ideas.models import Idea

    with scope(tenant=idea.tenant):
        return Idea.objects.select_related("campaign", "campaign__tenant").get(pk=idea.pk)
