"""Juries for the tests, made through the services.

genios          ING's "Genios del Ahorro", published and open this week (round 1)
chair, jorge, elena
                ING's jurors, seated on genios' jury (chair first, then members)
make_author     a participant who accepted ING's terms (a public name of their own)
make_idea       a published idea of genios by a fresh author
vote            n counted votes for an idea, cast now by fresh voters
review          round 1 closed and its shortlist built: review(ideas) → Review
                (voting ends, the shortlist is built at `review.now`)
score           a juror's scores through the services: score(assignment, juror, [8, 7, 9])
"""

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership, User
from campaigns import round_cycle
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from campaigns.models import Round
from ideas import services as idea_services
from juries import selectors, services
from juries.models import Assignment, JuryMember, RoundCriterion, Shortlist
from tests.campaigns.conftest import this_monday
from tests.conftest import ing_member
from voting import services as voting_services

_numbers = itertools.count(1)


@pytest.fixture
def client_for(client_for):
    """The suite's client, reading the pages in English (ING's site speaks
    Spanish by default; one test reads them in Spanish on purpose)."""

    def make(tenant=None, user=None, language="en", **defaults):
        client = client_for(tenant, user, **defaults)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def accept_terms(user, tenant, name=None):
    with scope(tenant=tenant):
        account_services.consent_accept(
            tenant=tenant, user=user, version=1, display_name=name or user.display_name
        )
    return user


@pytest.fixture
def make_person(ing):
    """Someone who accepted ING's terms, with an account a month old (new
    accounts' votes are held for review by the anti-fraud checks)."""

    def make(name=None, email=None, tenant=None):
        n = next(_numbers)
        user = account_services.user_create(
            email=email or f"person{n}@example.net", display_name=name or f"Person {n}"
        )
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
        user.refresh_from_db()
        return accept_terms(user, tenant or ing)

    return make


@pytest.fixture
def make_challenge(ing, owner):
    def make(tenant=None, actor=None, starts_at=None, **settings):
        tenant = tenant or ing
        values = genios_del_ahorro(starts_at or this_monday())
        values.update(settings)
        with scope(tenant=tenant):
            campaign = campaign_services.campaign_create(
                tenant=tenant, actor=actor or owner, **values
            )
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=actor or owner)
            round_cycle.campaign_catch_up(campaign=campaign)
            campaign.refresh_from_db()
        return campaign

    return make


@pytest.fixture
def genios(make_challenge):
    return make_challenge()


chair = ing_member(Membership.Role.JUROR, "carmen@ing.example")
jorge = ing_member(Membership.Role.JUROR, "jorge@ing.example")
elena = ing_member(Membership.Role.JUROR, "elena@ing.example")


@pytest.fixture
def seat(owner):
    def add(campaign, user, role=JuryMember.Role.MEMBER):
        with scope(tenant=campaign.tenant):
            return services.jury_member_add(campaign=campaign, user=user, actor=owner, role=role)

    return add


@pytest.fixture
def jury(genios, chair, jorge, elena, seat):
    seat(genios, chair, JuryMember.Role.CHAIR)
    seat(genios, jorge)
    seat(genios, elena)
    with scope(tenant=genios.tenant):
        return selectors.jury_of(genios)


@pytest.fixture
def make_author(make_person):
    return make_person


@pytest.fixture
def make_idea(genios, make_author):
    def make(title="Redondea tus compras", campaign=None, author=None, **values):
        campaign = campaign or genios
        values.setdefault("body", "Cada compra se redondea al euro y la diferencia se ahorra.")
        with scope(tenant=campaign.tenant):
            idea = idea_services.idea_submit(
                campaign=campaign, author=author or make_author(), title=title, **values
            )
        return idea

    return make


@pytest.fixture
def vote(make_person):
    def cast(idea, n=1, now=None):
        with scope(tenant=idea.tenant):
            for _ in range(n):
                assert voting_services.vote_cast(idea=idea, voter=make_person(), now=now).changed
        return idea

    return cast


def first_round(campaign) -> Round:
    with scope(tenant=campaign.tenant):
        return Round.objects.get(campaign=campaign, index=1)


@dataclass
class Review:
    round: Round
    shortlist: Shortlist
    now: dt.datetime

    def assignments(self, juror) -> list[Assignment]:
        with scope(tenant=self.round.tenant):
            return list(
                Assignment.objects.filter(round=self.round, juror=juror)
                .select_related("idea", "round")
                .order_by("position")
            )

    def assignment(self, juror, idea) -> Assignment:
        with scope(tenant=self.round.tenant):
            return Assignment.objects.select_related("idea", "round").get(
                round=self.round, juror=juror, idea=idea
            )

    def criteria(self) -> list[RoundCriterion]:
        with scope(tenant=self.round.tenant):
            return list(
                RoundCriterion.objects.filter(shortlist=self.shortlist).order_by("position")
            )

    def refresh(self):
        with scope(tenant=self.round.tenant):
            self.round.refresh_from_db()
            self.shortlist.refresh_from_db()
        return self


@pytest.fixture
def review(genios):
    """Round 1's voting closes and its shortlist is built (at voting end + 1 min)."""

    def close(campaign=None):
        campaign = campaign or genios
        round_ = first_round(campaign)
        now = round_.voting_ends_at + dt.timedelta(minutes=1)
        with scope(tenant=campaign.tenant):
            shortlist = services.shortlist_build(round=round_, now=now)
            round_.refresh_from_db()
        return Review(round=round_, shortlist=shortlist, now=now)

    return close


@pytest.fixture
def score():
    def give(assignment, juror, values, *, submit=True, note=None):
        with scope(tenant=assignment.tenant):
            criteria = list(
                RoundCriterion.objects.filter(shortlist__round=assignment.round_id).order_by(
                    "position"
                )
            )
            payload = {str(c.public_id): v for c, v in zip(criteria, values, strict=True)}
            if submit:
                return services.assignment_submit(
                    assignment=assignment, juror=juror, values=payload, note=note
                )
            return services.score_save(
                assignment=assignment, juror=juror, values=payload, note=note
            )

    return give


@pytest.fixture
def scored_round(genios, jury, make_idea, vote, review):
    ideas = [
        vote(make_idea(title=f"Idea {letter}"), n) for letter, n in [("A", 3), ("B", 2), ("C", 1)]
    ]
    return review(), ideas


@pytest.fixture
def all_scored(scored_round, chair, jorge, elena, score):
    result, (a, b, c) = scored_round
    for juror, sheets in [
        (chair, [[10, 10, 1], [7, 7, 7], [4, 10, 10]]),
        (jorge, [[7, 4, 10], [10, 7, 4], [7, 7, 7]]),
        (elena, [[4, 4, 4], [10, 10, 10], [7, 7, 10]]),
    ]:
        for idea, values in zip((a, b, c), sheets, strict=True):
            score(result.assignment(juror, idea), juror, values)
    return result, (a, b, c)
