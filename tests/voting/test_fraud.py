"""The anti-fraud scenarios: a farm of fresh accounts on one network is
quarantined, ordinary people are not. The clock is passed to the services
(`now=`), never patched."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEntry
from voting import risk, selectors, services
from voting.models import Vote

from .conftest import fresh

BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) Chrome/139.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/139.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
]


@pytest.fixture
def vote_in_turn(target, cast):
    """Each voter votes for the target once, one after the other `seconds`
    apart, from the address ip(i), with the browser browser(i)."""

    def run(voters, *, ip, seconds, browser=lambda i: BROWSERS[i % len(BROWSERS)]):
        start = timezone.now()
        for i, voter in enumerate(voters):
            now = start + dt.timedelta(seconds=i * seconds)
            cast(target, voter, ip=ip(i), user_agent=browser(i), now=now)

    return run


@pytest.fixture
def flash(make_campaign):
    """A one-round challenge: a day of votes stays in the same round."""
    return make_campaign(
        slug="flash",
        cadence="single",
        prizes=[{"round_kind": "grand", "amount": Decimal("500"), "currency": "EUR"}],
    )


@pytest.fixture
def target(flash, submit):
    return fresh(submit(campaign=flash, title="La idea de la granja"))


def statuses(idea) -> dict:
    with scope(tenant=idea.tenant):
        rows = Vote.objects.filter(idea=idea).values_list("status", flat=True)
        return {status: list(rows).count(status) for status in set(rows)}


def test_300_fresh_accounts_from_one_network_within_a_minute_are_quarantined(
    target, make_voter, vote_in_turn
):
    farm = [make_voter(age=dt.timedelta(minutes=5)) for _ in range(300)]
    vote_in_turn(farm, ip=lambda i: f"203.0.113.{1 + i % 254}", seconds=0.2)

    assert statuses(target) == {"quarantined": 300}
    assert fresh(target).vote_count == 0
    with scope(tenant=target.tenant):
        late = Vote.objects.filter(idea=target).order_by("-cast_at").first()
        first = Vote.objects.filter(idea=target).order_by("cast_at").first()
    codes = {s["code"] for s in late.evidence["signals"]}
    assert {"fresh_account", "network_on_idea", "fresh_burst"} <= codes
    assert late.risk_score >= risk.QUARANTINE_AT
    network = next(s for s in late.evidence["signals"] if s["code"] == "network_on_idea")
    assert network["network"] == "203.0.113.0/24" and network["votes"] >= 50
    # The first votes looked harmless alone; the burst found later took them too.
    assert "swept" in {s["code"] for s in first.evidence["signals"]}
    with scope(tenant=target.tenant):
        sweep = AuditEntry.objects.get(action="vote.quarantine")
    assert sweep.actor is None and sweep.data["count"] >= 10


def test_300_ordinary_voters_spread_over_a_day_are_counted(target, make_voter, vote_in_turn):
    people = [make_voter() for _ in range(300)]
    # 300 votes over 24 hours
    vote_in_turn(people, ip=lambda i: f"10.{i % 200}.{i // 2}.{1 + i % 250}", seconds=288)

    assert statuses(target) == {"counted": 300}
    assert fresh(target).vote_count == 300


def test_a_tv_ad_burst_of_new_accounts_from_everywhere_is_counted(target, make_voter, vote_in_turn):
    """Fresh accounts in a hurry are normal when a brand's ad is on air: without
    a shared network or browser signature, they count."""
    newcomers = [make_voter(age=dt.timedelta(minutes=3)) for _ in range(150)]
    vote_in_turn(newcomers, ip=lambda i: f"172.{16 + i % 16}.{i}.{1 + i % 250}", seconds=0.3)
    assert statuses(target) == {"counted": 150}


def test_an_office_of_established_accounts_on_one_network_is_counted(
    target, make_voter, vote_in_turn
):
    colleagues = [make_voter(age=dt.timedelta(days=400)) for _ in range(45)]
    vote_in_turn(
        colleagues, ip=lambda i: "192.0.2.10", seconds=10, browser=lambda i: BROWSERS[i % 2]
    )
    assert statuses(target) == {"counted": 45}


def test_a_throwaway_address_on_a_fresh_account_is_quarantined_alone(target, make_voter, cast):
    voter = make_voter(age=dt.timedelta(minutes=2), email="quick@mailinator.com")
    result = cast(target, voter, ip="198.51.100.20", user_agent=BROWSERS[0])
    assert result.status == "quarantined" and result.changed and result.vote_count == 0
    with scope(tenant=target.tenant):
        vote = Vote.objects.get(idea=target, voter=voter)
    assert {s["code"] for s in vote.evidence["signals"]} == {"fresh_account", "disposable_email"}
    assert vote.evidence["email_domain"] == "mailinator.com"


def test_accepting_the_quarantined_votes_counts_them_and_is_on_record(
    target, make_voter, vote_in_turn, moderator
):
    farm = [make_voter(age=dt.timedelta(minutes=5)) for _ in range(40)]
    vote_in_turn(farm, ip=lambda i: f"203.0.113.{i + 1}", seconds=1, browser=lambda i: BROWSERS[0])
    assert statuses(target) == {"quarantined": 40}
    with scope(tenant=target.tenant):
        query = selectors.ReviewQuery(status="quarantined", idea=str(target.public_id))
        votes, _next = selectors.review_page(tenant=target.tenant, query=query)
        assert len(votes) == 40
        groups = selectors.review_groups(tenant=target.tenant, query=query)
        assert groups[0]["ip_network"] == "203.0.113.0/24" and groups[0]["votes"] == 40
        services.votes_decide(votes=votes, actor=moderator, action="accept", reason="Una clase")
        assert AuditEntry.objects.filter(action="vote.accept").count() == 1
    assert statuses(target) == {"counted": 40}
    assert fresh(target).vote_count == 40


def test_the_risk_check_is_one_redis_round_trip_and_no_sql(
    target, make_voter, django_assert_num_queries
):
    voter = make_voter()
    calls = []
    pipeline = risk.client().pipeline

    class CountingPipeline:
        def __init__(self, *args, **kwargs):
            self._inner = pipeline(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def execute(self):
            calls.append(len(self._inner.command_stack))
            return self._inner.execute()

    risk.client().pipeline = CountingPipeline
    try:
        with django_assert_num_queries(0):
            assessment = risk.assess(
                tenant_id=target.tenant_id,
                idea_id=target.pk,
                voter=voter,
                ip="198.51.100.1",
                user_agent=BROWSERS[0],
                now=timezone.now(),
            )
    finally:
        del risk.client().pipeline
    assert assessment.score == 0 and not assessment.quarantine
    assert len(calls) == 1 and calls[0] <= 20
