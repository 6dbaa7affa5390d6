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
"""

import datetime as dt
import itertools
from decimal import Decimal

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
from juries import services as jury_services
from juries.models import Assignment, JuryMember, RoundCriterion
from rewards import services
from tests.campaigns.conftest import this_monday
from voting import services as voting_services

_numbers = itertools.count(1)

IBAN_ES = "ES91 2100 0418 4502 0005 1332"
IBAN_DE = "DE89 3704 0044 0532 0130 00"
IBAN_FR = "FR14 2004 1010 0505 0001 3M02 606"
BRAND_IBAN = "ES79 2100 0813 6101 2345 6789"


@pytest.fixture
def client_for(client_for):
    """The suite's client, reading pages in English (ING speaks Spanish)."""

    def make(tenant=None, user=None, language="en", **defaults):
        client = client_for(tenant, user, **defaults)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


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
def make_challenge(ing, owner):
    def make(tenant=None, actor=None, starts_at=None, **values):
        tenant = tenant or ing
        settings_ = genios_del_ahorro(starts_at or this_monday())
        settings_.update(values)
        with scope(tenant=tenant):
            campaign = campaign_services.campaign_create(
                tenant=tenant, actor=actor or owner, **settings_
            )
            campaign = campaign_services.campaign_publish(campaign=campaign, actor=actor or owner)
            round_cycle.campaign_catch_up(campaign=campaign)
            campaign.refresh_from_db()
        return campaign

    return make


@pytest.fixture
def genios(make_challenge):
    return make_challenge()


@pytest.fixture
def chair(ing, make_member):
    return make_member(ing, Membership.Role.JUROR, "carmen@ing.example")


@pytest.fixture
def jorge(ing, make_member):
    return make_member(ing, Membership.Role.JUROR, "jorge@ing.example")


@pytest.fixture
def elena(ing, make_member):
    return make_member(ing, Membership.Role.JUROR, "elena@ing.example")


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


@pytest.fixture
def make_idea(genios, make_person):
    def make(title="Redondea tus compras", campaign=None, author=None, **values):
        campaign = campaign or genios
        values.setdefault("body", "Cada compra se redondea al euro y la diferencia se ahorra.")
        with scope(tenant=campaign.tenant):
            return idea_services.idea_submit(
                campaign=campaign, author=author or make_person(), title=title, **values
            )

    return make


@pytest.fixture
def vote(make_person):
    def cast(idea, n=1, now=None):
        with scope(tenant=idea.tenant):
            for _ in range(n):
                assert voting_services.vote_cast(idea=idea, voter=make_person(), now=now).changed
        return idea

    return cast


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


def money(text) -> Decimal:
    return Decimal(text)
