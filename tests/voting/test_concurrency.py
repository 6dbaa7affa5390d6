"""Exact counts under bursts: many votes at the same instant, each thread on its
own PostgreSQL connection (committed transactions, nothing rolled back)."""

import threading

import pytest
from django.db import connection
from django_scopes import scope

from voting import services
from voting.models import Vote

from .conftest import fresh

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def at_once(count: int, work) -> tuple[list, list]:
    """Run `work(i)` in `count` threads released together once each holds its
    own open database connection. Returns (results, errors)."""
    ready = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(i: int) -> None:
        try:
            connection.ensure_connection()
            ready.wait(timeout=60)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results, errors


def _cast(idea, voter, **kwargs):
    with scope(tenant=idea.tenant):
        return services.vote_cast(idea=idea, voter=voter, user_agent=BROWSER, **kwargs)


def test_200_people_voting_at_once_make_exactly_200_votes(idea, make_voter):
    voters = [make_voter() for _ in range(200)]
    idea = fresh(idea)

    results, errors = at_once(200, lambda i: _cast(idea, voters[i], ip=f"10.{i // 250}.{i}.1"))

    assert errors == []
    assert all(r.changed and r.status == "counted" for r in results)
    stored = fresh(idea)
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea, status="counted").count() == 200
    assert stored.vote_count == 200
    # Each answer saw the count right after its own vote: 1 … 200, each once.
    assert sorted(r.vote_count for r in results) == list(range(1, 201))


def test_one_person_voting_50_times_at_once_makes_one_vote(idea, make_voter, settings):
    # Past 30 a minute the rate limit answers first: lift it, so that all 50
    # reach the database and its constraint is what makes the one vote.
    settings.VOTING_RATE_LIMITS = {"person_per_minute": 1000}
    voter = make_voter()
    idea = fresh(idea)

    results, errors = at_once(50, lambda _i: _cast(idea, voter))

    assert errors == []
    assert sum(r.changed for r in results) == 1
    assert all(r.voted and r.vote_count == 1 for r in results)
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea, voter=voter).count() == 1
    assert fresh(idea).vote_count == 1


def test_the_allowance_holds_when_one_person_votes_for_many_ideas_at_once(
    make_campaign, submit, make_voter
):
    campaign = make_campaign(slug="three-votes", votes_per_round=3)
    ideas = [fresh(submit(campaign=campaign, title=f"Truco número {n}")) for n in range(12)]
    voter = make_voter()

    results, errors = at_once(12, lambda i: _cast(ideas[i], voter))

    refused = [e for e in errors if getattr(e, "code", "") == "no_votes_left"]
    assert len(refused) == 9 and len(errors) == 9
    assert sum(1 for r in results if r is not None and r.changed) == 3
    with scope(tenant=campaign.tenant):
        assert Vote.objects.filter(voter=voter).count() == 3
    assert sum(fresh(i).vote_count for i in ideas) == 3


def test_withdrawals_racing_votes_keep_the_count_exact(idea, make_voter):
    voters = [make_voter() for _ in range(60)]
    idea = fresh(idea)
    for voter in voters[:30]:
        _cast(idea, voter)

    def work(i):
        if i < 30:
            with scope(tenant=idea.tenant):
                return services.vote_withdraw(idea=idea, voter=voters[i])
        return _cast(idea, voters[i])

    _results, errors = at_once(60, work)

    assert errors == []
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea).count() == 30
    assert fresh(idea).vote_count == 30
