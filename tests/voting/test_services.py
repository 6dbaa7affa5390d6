"""Casting and withdrawing votes: the rules, the counters, idempotence."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEntry
from core.errors import NotAllowed
from ideas import services as idea_services
from voting import risk, services
from voting.models import RoundCounter, Vote

from .conftest import fresh


def test_a_vote_counts_once_and_casting_twice_says_already_voted(idea, make_voter, cast):
    voter = make_voter()
    first = cast(idea, voter)
    assert first.changed and first.voted and first.status == "counted"
    assert first.vote_count == 1
    again = cast(idea, voter)
    assert not again.changed and again.voted and again.status == "counted"
    assert again.vote_count == 1
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea).count() == 1
    assert fresh(idea).vote_count == 1


def test_withdrawing_deletes_the_vote_and_voting_again_works(idea, make_voter, cast, withdraw):
    voter = make_voter()
    cast(idea, voter)
    result = withdraw(idea, voter)
    assert result.changed and not result.voted and result.vote_count == 0
    with scope(tenant=idea.tenant):
        assert not Vote.objects.filter(idea=idea).exists()
    assert fresh(idea).vote_count == 0
    again = cast(idea, voter)
    assert again.changed and again.vote_count == 1
    assert fresh(idea).vote_count == 1


def test_withdrawing_without_a_vote_is_not_an_error(idea, make_voter, withdraw):
    result = withdraw(idea, make_voter())
    assert not result.changed and not result.voted and result.vote_count == 0


def test_a_vote_needs_sign_in_and_the_current_terms(idea, make_voter, cast):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed) as signed_out:
        cast(idea, AnonymousUser())
    assert signed_out.value.code == "not_signed_in"
    with pytest.raises(NotAllowed) as no_terms:
        cast(idea, make_voter(terms=False))
    assert no_terms.value.code == "terms_not_accepted"
    assert fresh(idea).vote_count == 0


def test_authors_and_coauthors_cannot_vote_for_their_idea_unless_allowed(
    idea, author, make_voter, cast, make_campaign, submit
):
    with pytest.raises(services.VoteError) as own:
        cast(idea, author)
    assert own.value.code == "own_idea"
    partner = make_voter()
    with scope(tenant=idea.tenant):
        invitation = idea_services.coauthor_invite(idea=idea, actor=author)
        idea_services.coauthor_accept(invitation=invitation, user=partner)
    with pytest.raises(services.VoteError):
        cast(idea, partner)
    assert fresh(idea).vote_count == 0

    relaxed = make_campaign(slug="relaxed", self_vote_allowed=True)
    mine = submit(campaign=relaxed, title="Mi propia idea")
    assert cast(mine, author).vote_count == 1


def test_only_contributors_vote_when_the_challenge_says_so(make_campaign, submit, make_voter, cast):
    campaign = make_campaign(slug="contributors", voters="contributors")
    idea = submit(campaign=campaign)
    outsider = make_voter()
    with pytest.raises(services.VoteError) as refused:
        cast(idea, outsider)
    assert refused.value.code == "contributors_only"
    submit(campaign=campaign, by=outsider, title="La mía también cuenta")
    assert cast(idea, outsider).vote_count == 1


def test_only_published_ideas_take_votes(idea, moderator, make_voter, cast):
    with scope(tenant=idea.tenant):
        idea_services.ideas_moderate(ideas=[idea], actor=moderator, action="hide", reason="Spam")
    with pytest.raises(services.VoteError) as refused:
        cast(fresh(idea), make_voter())
    assert refused.value.code == "idea_not_published"


def test_no_vote_before_the_start_or_after_the_end(idea, make_voter, cast):
    voter = make_voter()
    campaign = fresh(idea).campaign
    for moment in (campaign.starts_at - dt.timedelta(minutes=1), campaign.ends_at):
        with pytest.raises(services.VoteError) as refused:
            cast(idea, voter, now=moment)
        assert refused.value.code == "voting_closed"
    assert fresh(idea).vote_count == 0


def test_the_allowance_per_round_is_exact_and_a_withdrawal_gives_it_back(
    make_campaign, submit, make_voter, cast, withdraw
):
    campaign = make_campaign(slug="two-votes", votes_per_round=2)
    ideas = [submit(campaign=campaign, title=f"Idea número {n}") for n in range(3)]
    voter = make_voter()
    assert cast(ideas[0], voter).votes_left == 1
    assert cast(ideas[1], voter).votes_left == 0
    with pytest.raises(services.VoteError) as refused:
        cast(ideas[2], voter)
    assert refused.value.code == "no_votes_left"
    # Voting again for an idea already chosen is "already voted", not "no votes left".
    again = cast(ideas[0], voter)
    assert not again.changed and again.voted
    assert withdraw(ideas[0], voter).votes_left == 1
    assert cast(ideas[2], voter).changed
    assert [fresh(i).vote_count for i in ideas] == [0, 1, 1]


def test_a_disqualified_idea_takes_no_more_votes(idea, moderator, make_voter, cast):
    cast(idea, make_voter())
    with scope(tenant=idea.tenant):
        services.idea_disqualify(idea=idea, actor=moderator, reason="Votos comprados")
    with pytest.raises(services.VoteError) as refused:
        cast(fresh(idea), make_voter())
    assert refused.value.code == "idea_not_votable"
    assert fresh(idea).vote_count == 1
    with scope(tenant=idea.tenant):
        assert Vote.objects.filter(idea=idea).count() == 1  # nothing half-written


def test_a_void_vote_cannot_be_withdrawn_nor_cast_again(
    idea, moderator, make_voter, cast, withdraw
):
    voter = make_voter()
    cast(idea, voter)
    with scope(tenant=idea.tenant):
        vote = Vote.objects.get(idea=idea, voter=voter)
        services.votes_decide(votes=[vote], actor=moderator, action="void", reason="Bot")
    assert fresh(idea).vote_count == 0
    with pytest.raises(services.VoteError) as refused:
        withdraw(idea, voter)
    assert refused.value.code == "vote_void"
    again = cast(idea, voter)
    assert not again.changed and again.status == "void"
    assert fresh(idea).vote_count == 0


def test_voting_too_fast_is_refused_and_nothing_counts(idea, make_voter, cast, submit, settings):
    settings.VOTING_RATE_LIMITS = {"person_per_minute": 3}
    voter = make_voter()
    ideas = [idea] + [submit(title=f"Otra idea {n}") for n in range(3)]
    now = timezone.now()
    for target in ideas[:3]:
        cast(target, voter, now=now)
    with pytest.raises(risk.RateLimited) as limited:
        cast(ideas[3], voter, now=now)
    assert limited.value.status == 429
    assert fresh(ideas[3]).vote_count == 0
    # A minute later, the person votes again.
    assert cast(ideas[3], voter, now=now + dt.timedelta(minutes=1)).changed


def test_the_same_address_is_limited_too(idea, submit, make_voter, cast, settings):
    settings.VOTING_RATE_LIMITS = {"ip_per_minute": 2}
    now = timezone.now()
    cast(idea, make_voter(), ip="198.51.100.7", now=now)
    cast(idea, make_voter(), ip="198.51.100.7", now=now)
    with pytest.raises(risk.RateLimited):
        cast(idea, make_voter(), ip="198.51.100.7", now=now)
    assert cast(idea, make_voter(), ip="198.51.100.8", now=now).changed
    assert fresh(idea).vote_count == 3


def test_round_vote_count_counts_the_round_people_are_in(genios, idea, make_voter, cast):
    with scope(tenant=genios.tenant):
        # The round cycle switched the counter when round 1 opened; again changes nothing.
        assert not services.round_counter_switch(campaign=genios)
        counter = RoundCounter.objects.get(campaign=genios)
    assert counter.round.index == 1
    cast(idea, make_voter())
    stored = fresh(idea)
    assert (stored.vote_count, stored.round_vote_count) == (1, 1)

    # Next Monday: the counter moves on; the idea's "this round" count restarts at 0.
    second = counter.round.ends_at + dt.timedelta(hours=1)
    with scope(tenant=genios.tenant):
        assert services.round_counter_switch(campaign=genios, now=second)
    stored = fresh(idea)
    assert (stored.vote_count, stored.round_vote_count) == (1, 0)
    cast(idea, make_voter(), now=second)
    stored = fresh(idea)
    assert (stored.vote_count, stored.round_vote_count) == (2, 1)


def test_votes_before_the_counter_switch_are_counted_in_by_the_switch(
    genios, idea, make_voter, cast
):
    with scope(tenant=genios.tenant):
        RoundCounter.objects.filter(campaign=genios).delete()  # as before the round opened
    cast(idea, make_voter())
    assert fresh(idea).round_vote_count == 0  # no round counted yet
    with scope(tenant=genios.tenant):
        assert services.round_counter_switch(campaign=genios)
    assert fresh(idea).round_vote_count == 1


def test_the_vote_carries_its_round_time_and_evidence(idea, make_voter, cast):
    voter = make_voter()
    now = timezone.now()
    cast(idea, voter, ip="203.0.113.9", user_agent="Mozilla/5.0 Firefox", now=now)
    with scope(tenant=idea.tenant):
        vote = Vote.objects.select_related("round").get(idea=idea, voter=voter)
    assert vote.cast_at == now
    assert vote.round.index == 1 and vote.round.kind == "weekly"
    assert vote.ip_network == "203.0.113.0/24"
    assert len(vote.user_agent_hash) == 16
    assert vote.risk_score == 0 and vote.evidence["signals"] == []
    assert vote.evidence["email_domain"] == "example.com"


def test_moderators_decide_in_bulk_with_a_reason_on_record(
    idea, moderator, participant, make_voter, cast
):
    voters = [make_voter() for _ in range(3)]
    for voter in voters:
        cast(idea, voter)
    with scope(tenant=idea.tenant):
        votes = list(Vote.objects.filter(idea=idea))
        with pytest.raises(NotAllowed):
            services.votes_decide(votes=votes, actor=participant, action="void", reason="x")
        with pytest.raises(services.VoteError) as no_reason:
            services.votes_decide(votes=votes, actor=moderator, action="void", reason=" ")
        assert "reason" in no_reason.value.fields
        result = services.votes_decide(
            votes=votes[:2], actor=moderator, action="void", reason="Misma red"
        )
        assert len(result["done"]) == 2
        again = services.votes_decide(
            votes=votes[:2], actor=moderator, action="void", reason="Misma red"
        )
        assert again["done"] == [] and len(again["skipped"]) == 2
        entry = AuditEntry.objects.get(action="vote.void")
        assert entry.actor == moderator and entry.reason == "Misma red"
        assert entry.data["count"] == 2
    assert fresh(idea).vote_count == 1
    with scope(tenant=idea.tenant):
        services.votes_decide(votes=votes[:1], actor=moderator, action="accept")
    assert fresh(idea).vote_count == 2
