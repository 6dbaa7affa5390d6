"""Challenges, juries and winners for the rewards tests, made through the services.

genios          ING's "Genios del Ahorro", published and open this week (round 1)
chair, jorge, elena
                ING's jurors; `jury` seats them on genios' jury, chair first
make_person     someone who accepted ING's terms (an account a month old)
make_idea       a published idea of genios by a fresh author (or the one given)
vote            n counted votes for an idea, cast now by fresh voters
decide          round 1 (or the round given) reviewed and decided by the jury
                at `now`: decide(ideas, now) → the round, with ideas[0] winning
advance         the round cycle on one round at a moment: advance(round, now)
pay_details     a winner enters valid payout details

The challenge, its jurors, ideas and votes are the jury tests' own fixtures,
imported from tests/juries/conftest.py; fixtures below request them by name.
"""
# ruff: noqa: F811

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts import services as account_services
from accounts.models import User
from campaigns import round_cycle
from campaigns.models import Round
from juries import services as jury_services
from juries.models import Assignment, JuryMember, RoundCriterion
from rewards import services
from rewards.models import Payout
from tests.juries.conftest import (  # noqa: F401
    chair,
    client_for,
    elena,
    genios,
    jorge,
    make_author,
    make_challenge,
    make_idea,
    vote,
)

_numbers = itertools.count(1)

IBAN_ES = "ES91 2100 0418 4502 0005 1332"
IBAN_DE = "DE89 3704 0044 0532 0130 00"
IBAN_FR = "FR14 2004 1010 0505 0001 3M02 606"
BRAND_IBAN = "ES79 2100 0813 6101 2345 6789"


@pytest.fixture
def make_person(ing):
    def make(name=None, tenant=None):
        n = next(_numbers)
        user = account_services.user_create(
            email=f"winner{n}@example.net", display_name=name or f"Person {n}"
        )
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
        user.refresh_from_db()
        tenant = tenant or ing
        with scope(tenant=tenant):
            account_services.consent_accept(
                tenant=tenant, user=user, version=1, display_name=user.display_name
            )
        return user

    return make


@pytest.fixture
def seat_jury(owner, chair, jorge, elena):
    def seat(campaign):
        with scope(tenant=campaign.tenant):
            for user, role in [
                (chair, JuryMember.Role.CHAIR),
                (jorge, JuryMember.Role.MEMBER),
                (elena, JuryMember.Role.MEMBER),
            ]:
                jury_services.jury_member_add(campaign=campaign, user=user, actor=owner, role=role)
        return campaign

    return seat


@pytest.fixture
def jury(genios, seat_jury):
    return seat_jury(genios)


def round_of(campaign, index=1) -> Round:
    with scope(tenant=campaign.tenant):
        return Round.objects.select_related("campaign", "tenant").get(
            campaign=campaign, index=index
        )


def judge(round_, winner, *, chair, jurors, now):
    """Every juror scores the round's shortlist (the winner best), the chair confirms."""
    with scope(tenant=round_.tenant):
        for juror in jurors:
            for assignment in Assignment.objects.filter(round=round_, juror=juror).select_related(
                "idea", "round"
            ):
                criteria = RoundCriterion.objects.filter(shortlist__round=round_).order_by(
                    "position"
                )
                value = 10 if assignment.idea_id == winner.pk else 3
                jury_services.assignment_submit(
                    assignment=assignment,
                    juror=juror,
                    values={str(c.public_id): value for c in criteria},
                )
        return jury_services.decision_confirm(round=round_, actor=chair, now=now)


@pytest.fixture
def advance():
    def run(round_, now):
        with scope(tenant=round_.tenant):
            return round_cycle.round_advance(round=round_, now=now)

    return run


@pytest.fixture
def decide(genios, jury, chair, jorge, elena, advance):
    """Round `index` of `campaign`: voting closes, the shortlist is built, every
    juror scores, the chair confirms `ideas[0]`. Returns (round, now)."""

    def run(ideas, campaign=None, index=1):
        campaign = campaign or genios
        round_ = round_of(campaign, index)
        now = round_.voting_ends_at + dt.timedelta(minutes=1)
        assert advance(round_, now) == ["voting_closed", "in_review"]
        judge(round_, ideas[0], chair=chair, jurors=[chair, jorge, elena], now=now)
        with scope(tenant=round_.tenant):
            round_.refresh_from_db()
        return round_, now

    return run


@pytest.fixture
def announced(make_idea, vote, decide, advance):
    """Round 1 announced: "Idea A" (3 votes) won over "Idea B" (1 vote)."""
    winner = vote(make_idea(title="Idea A"), 3)
    other = vote(make_idea(title="Idea B"), 1)
    round_, now = decide([winner, other])
    assert advance(round_, now) == ["announced"]
    with scope(tenant=round_.tenant):
        round_.refresh_from_db()
    return round_, winner, other, now


@pytest.fixture
def pay_details():
    def enter(user, tenant, iban=IBAN_ES, holder=None, bic=""):
        with scope(tenant=tenant):
            name = holder or user.display_name
            return services.payout_details_save(
                tenant=tenant, user=user, holder_name=name, iban=iban, bic=bic
            )

    return enter


@pytest.fixture
def brand_account(ing, owner):
    with scope(tenant=ing):
        return services.payout_settings_save(
            tenant=ing, actor=owner, debtor_name="ING Bank NV", debtor_iban=BRAND_IBAN
        )


@pytest.fixture
def approved_payouts(genios, owner, make_idea, vote, decide, advance, pay_details, brand_account):
    """Round 1's winner, details entered and its payouts approved (500 €): the idea."""
    first = vote(make_idea(title="Idea A"), 2)
    round_, now = decide([first])
    advance(round_, now)
    pay_details(first.author, genios.tenant, iban=IBAN_DE)
    with scope(tenant=genios.tenant):
        ready = list(Payout.objects.filter(state="ready"))
        services.payouts_approve(tenant=genios.tenant, payouts=ready, actor=owner)
    return first


def money(text) -> Decimal:
    return Decimal(text)
