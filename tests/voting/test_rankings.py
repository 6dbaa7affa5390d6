"""Rankings per round: which votes and ideas count, ties, the freeze, and what
may (voids, accepts, disqualifications) or may not (later votes, withdrawals,
account deletions, merges) change a frozen ranking."""

import datetime as dt
from decimal import Decimal

import pytest
from django_scopes import scope

from accounts import services as account_services
from accounts.models import AuditEntry
from core.errors import NotAllowed
from ideas import services as idea_services
from voting import extensions, selectors, services
from voting.models import RankingSnapshot, Vote

from .conftest import fresh

SECOND = dt.timedelta(seconds=1)


def rounds_of(campaign):
    with scope(tenant=campaign.tenant):
        return {r.index if r.kind == "weekly" else "grand": r for r in campaign.rounds.all()}


def ranking(round_):
    with scope(tenant=round_.tenant):
        return selectors.ranking_for(round_)


def table(round_):
    return [(row.idea.title, row.votes, row.rank, row.position) for row in ranking(round_).rows]


def freeze(round_, now=None):
    with scope(tenant=round_.tenant):
        return services.ranking_freeze(round=round_, now=now or round_.voting_ends_at + SECOND)


@pytest.fixture
def three(submit):
    return [submit(title=title) for title in ("Alfa idea", "Beta idea", "Gamma idea")]


def vote_many(cast, make_voter, idea, count, **kwargs):
    for _ in range(count):
        cast(idea, make_voter(), **kwargs)


def test_a_rounds_ranking_counts_its_votes_with_ties_sharing_a_rank(
    genios, three, make_voter, cast
):
    alfa, beta, gamma = three
    vote_many(cast, make_voter, beta, 2)
    cast(gamma, make_voter())  # gamma reaches 1 first…
    cast(alfa, make_voter())  # …then alfa
    round_one = rounds_of(genios)[1]
    assert table(round_one) == [
        ("Beta idea", 2, 1, 1),
        ("Gamma idea", 1, 2, 2),
        ("Alfa idea", 1, 2, 3),
    ]
    assert not ranking(round_one).frozen


def test_the_grand_round_counts_every_round_and_a_weekly_round_only_its_own(
    genios, submit, make_voter, cast
):
    rounds = rounds_of(genios)
    early = submit(title="Idea temprana")
    vote_many(cast, make_voter, early, 2)
    in_week_two = rounds[2].starts_at + dt.timedelta(hours=1)
    vote_many(cast, make_voter, early, 3, now=in_week_two)
    assert table(rounds[1]) == [("Idea temprana", 2, 1, 1)]
    # Round 2 covers the ideas submitted during round 2: none yet.
    assert table(rounds[2]) == []
    assert table(rounds["grand"]) == [("Idea temprana", 5, 1, 1)]
    assert fresh(early).vote_count == 5


def test_a_round_covering_every_idea_not_awarded_yet_leaves_winners_out(
    make_campaign, submit, make_voter, cast
):
    campaign = make_campaign(slug="abierto", round_covers="not_yet_awarded")
    winner, other = submit(campaign=campaign, title="Ganadora"), submit(campaign=campaign)
    rounds = rounds_of(campaign)
    week_two = rounds[2].starts_at + dt.timedelta(hours=1)
    cast(winner, make_voter(), now=week_two)
    cast(other, make_voter(), now=week_two)
    assert {row[0] for row in table(rounds[2])} == {"Ganadora", "Redondea tus compras"}

    def awarded(of_campaign):
        return {winner.pk} if of_campaign.pk == campaign.pk else set()

    extensions.register_awarded_ideas(awarded)
    try:
        assert [row[0] for row in table(rounds[2])] == ["Redondea tus compras"]
        # Round winners stay in the grand round unless the challenge says otherwise.
        assert {row[0] for row in table(rounds["grand"])} == {"Ganadora", "Redondea tus compras"}
    finally:
        extensions.unregister_awarded_ideas(awarded)


def test_freezing_is_refused_while_voting_is_open_and_idempotent_after(
    genios, three, make_voter, cast
):
    round_one = rounds_of(genios)[1]
    with scope(tenant=genios.tenant), pytest.raises(services.RankingError) as still_open:
        services.ranking_freeze(round=round_one, now=round_one.voting_ends_at - SECOND)
    assert still_open.value.code == "voting_open"
    cast(three[0], make_voter())
    first = freeze(round_one)
    second = freeze(round_one, now=round_one.voting_ends_at + dt.timedelta(hours=3))
    assert first.pk == second.pk and first.total_votes == 1
    with scope(tenant=genios.tenant):
        assert RankingSnapshot.objects.count() == 1
        assert AuditEntry.objects.filter(action="ranking.freeze").count() == 1
    frozen = ranking(round_one)
    assert frozen.frozen and frozen.frozen_at == first.frozen_at
    assert [r.votes for r in frozen.rows] == [1, 0, 0]


def test_later_votes_and_withdrawals_leave_a_frozen_ranking_as_it_was(
    genios, three, make_voter, cast, withdraw
):
    alfa, beta, _gamma = three
    voters = [make_voter() for _ in range(3)]
    for voter in voters:
        cast(alfa, voter)
    cast(beta, make_voter())
    rounds = rounds_of(genios)
    week_two = rounds[2].starts_at + dt.timedelta(hours=1)
    # A withdrawal after the end, before anybody froze the round: it is frozen first.
    withdraw(alfa, voters[0], now=week_two)
    assert table(rounds[1])[0] == ("Alfa idea", 3, 1, 1)
    withdraw(alfa, voters[1], now=week_two)
    vote_many(cast, make_voter, beta, 4, now=week_two)
    assert table(rounds[1])[:2] == [("Alfa idea", 3, 1, 1), ("Beta idea", 1, 2, 2)]
    # The live counters and the grand round see everything.
    assert fresh(alfa).vote_count == 1 and fresh(beta).vote_count == 5
    assert [r[:2] for r in table(rounds["grand"])][:2] == [("Beta idea", 5), ("Alfa idea", 1)]


def test_an_account_deletion_leaves_frozen_rankings_and_corrects_counters(
    genios, three, make_voter, cast
):
    alfa = three[0]
    leaving = make_voter()
    cast(alfa, leaving)
    cast(alfa, make_voter())
    round_one = rounds_of(genios)[1]
    freeze(round_one)
    account_services.account_delete(user=leaving, mode="anonymise")
    assert fresh(alfa).vote_count == 1
    with scope(tenant=genios.tenant):
        assert Vote.objects.filter(idea=alfa).count() == 1
    assert table(round_one)[0] == ("Alfa idea", 2, 1, 1)


def test_voiding_fraud_corrects_a_frozen_ranking_on_record(
    genios, three, make_voter, cast, moderator
):
    alfa, beta, _gamma = three
    farm = [make_voter() for _ in range(3)]
    for voter in farm:
        cast(alfa, voter)
    vote_many(cast, make_voter, beta, 2)
    round_one = rounds_of(genios)[1]
    freeze(round_one)
    assert table(round_one)[0][:2] == ("Alfa idea", 3)
    with scope(tenant=genios.tenant):
        votes = list(Vote.objects.filter(idea=alfa).order_by("cast_at"))
        services.votes_decide(votes=votes[:2], actor=moderator, action="void", reason="Granja")
        correction = AuditEntry.objects.get(action="ranking.correct")
    assert correction.actor == moderator and correction.reason == "Granja"
    assert correction.data["cause"] == "vote.void"
    assert correction.data["ideas"] == {str(alfa.public_id): -2}
    assert table(round_one)[:2] == [("Beta idea", 2, 1, 1), ("Alfa idea", 1, 2, 2)]
    frozen = ranking(round_one)
    assert frozen.corrected_at is not None and frozen.total_votes == 3
    # The grand round is not frozen: it just counts what counts.
    assert table(rounds_of(genios)["grand"])[0][:2] == ("Beta idea", 2)
    # Accepting one back (a mistake) corrects it again.
    with scope(tenant=genios.tenant):
        services.votes_decide(votes=votes[:1], actor=moderator, action="accept")
    # Alfa's two counted votes were cast before Beta's second: Alfa reached 2 first.
    assert table(round_one)[:2] == [("Alfa idea", 2, 1, 1), ("Beta idea", 2, 1, 2)]


def test_disqualifying_an_idea_takes_it_out_of_live_and_frozen_rankings(
    genios, three, make_voter, cast, moderator
):
    alfa, beta, _gamma = three
    vote_many(cast, make_voter, alfa, 3)
    cast(beta, make_voter())
    round_one = rounds_of(genios)[1]
    freeze(round_one)
    with scope(tenant=genios.tenant):
        services.idea_disqualify(idea=alfa, actor=moderator, reason="Votos comprados")
        services.idea_disqualify(idea=alfa, actor=moderator, reason="Otra vez")  # idempotent
        assert AuditEntry.objects.filter(action="idea.disqualify").count() == 1
    frozen = ranking(round_one)
    assert [(r.idea.title, r.rank, r.disqualified) for r in frozen.rows] == [
        ("Beta idea", 1, False),
        ("Gamma idea", 2, False),
        ("Alfa idea", None, True),
    ]
    assert "Alfa idea" not in [row[0] for row in table(rounds_of(genios)["grand"])]
    with scope(tenant=genios.tenant):
        assert services.idea_requalify(idea=alfa, actor=moderator)
    assert table(round_one)[0][:3] == ("Alfa idea", 3, 1)


def test_only_moderators_disqualify_and_a_reason_is_required(idea, moderator, participant):
    with scope(tenant=idea.tenant):
        with pytest.raises(NotAllowed):
            services.idea_disqualify(idea=idea, actor=participant, reason="x")
        with pytest.raises(services.VoteError) as no_reason:
            services.idea_disqualify(idea=idea, actor=moderator, reason="  ")
    assert "reason" in no_reason.value.fields


def test_merging_moves_votes_without_counting_anyone_twice(
    genios, three, make_voter, cast, moderator
):
    alfa, beta, _gamma = three
    both, only_beta = make_voter(), make_voter()
    cast(alfa, both)
    cast(beta, both)
    cast(beta, only_beta)
    with scope(tenant=genios.tenant):
        services.round_counter_switch(campaign=genios)
        idea_services.idea_merge(duplicate=fresh(beta), into=fresh(alfa), actor=moderator)
        assert Vote.objects.filter(idea=alfa).count() == 2
        assert not Vote.objects.filter(idea=beta).exists()
    merged_into = fresh(alfa)
    assert (merged_into.vote_count, merged_into.round_vote_count) == (2, 2)
    assert fresh(beta).vote_count == 0


def test_the_grand_round_of_a_one_round_challenge_is_its_only_ranking(
    make_campaign, submit, make_voter, cast
):
    single = make_campaign(
        slug="una-ronda",
        cadence="single",
        prizes=[{"round_kind": "grand", "amount": Decimal("300"), "currency": "EUR"}],
    )
    idea = submit(campaign=single)
    cast(idea, make_voter())
    with scope(tenant=single.tenant):
        vote = Vote.objects.select_related("round").get(idea=idea)
    assert vote.round.kind == "grand"
    assert table(rounds_of(single)["grand"]) == [("Redondea tus compras", 1, 1, 1)]
