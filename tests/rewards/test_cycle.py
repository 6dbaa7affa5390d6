"""The round cycle on one round: each step once, twice changes nothing, a crash
between two steps of the announcement is finished by the next tick, two
workers at once make one award and one payout."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEntry
from campaigns import round_cycle
from campaigns.models import Round
from juries.models import Shortlist
from notifications.models import Notification
from rewards import announce
from rewards.models import Award, Payout

from .conftest import judge, round_of


def counts(tenant):
    with scope(tenant=tenant):
        return Award.objects.count(), Payout.objects.count()


def test_the_cycle_takes_a_round_from_open_to_announced(
    genios, jury, make_idea, vote, chair, jorge, elena, advance
):
    winner = vote(make_idea(title="Idea A"), 3)
    vote(make_idea(title="Idea B"), 1)
    round_ = round_of(genios)
    before_end = round_.voting_ends_at - dt.timedelta(minutes=1)
    assert advance(round_, before_end) == []  # still voting: nothing due
    now = round_.voting_ends_at + dt.timedelta(minutes=1)
    assert advance(round_, now) == ["voting_closed", "in_review"]
    with scope(tenant=genios.tenant):
        assert Shortlist.objects.get(round=round_).entries.count() == 2
        assert Notification.objects.filter(recipient=chair, event="jury.shortlist_ready").exists()
    assert advance(round_, now) == []  # in review, nobody decided: nothing due
    judge(round_, winner, chair=chair, jurors=[chair, jorge, elena], now=now)
    assert advance(round_, now) == ["announced"]
    with scope(tenant=genios.tenant):
        round_.refresh_from_db()
        award = Award.objects.get(round=round_)
        payout = Payout.objects.get(award=award)
        won = Notification.objects.get(recipient=winner.author, event="idea.won")
    assert round_.state == Round.State.ANNOUNCED
    assert (award.rank, award.amount, award.currency, award.idea_id) == (
        1,
        Decimal("500.00"),
        "EUR",
        winner.pk,
    )
    assert (payout.recipient_id, payout.amount, payout.share_bp, payout.state) == (
        winner.author_id,
        Decimal("500.00"),
        10_000,
        Payout.State.AWAITING_DETAILS,
    )
    assert "500" in won.context["prize"]
    assert advance(round_, now) == []  # announced: nothing more, nothing twice
    assert counts(genios.tenant) == (1, 1)


def test_participants_and_followers_hear_the_results_once(announced, genios):
    _round, winner, other, _now = announced
    with scope(tenant=genios.tenant):
        results = Notification.objects.filter(event="round.results")
        assert list(results.values_list("recipient", flat=True)) == [other.author_id]
        assert not Notification.objects.filter(recipient=winner.author, event="round.results")


def test_the_tick_lists_what_is_due_and_nothing_else(genios, jury, make_idea, vote, advance):
    vote(make_idea(), 1)
    round_ = round_of(genios)
    grand = round_of(genios, 5)
    assert round_cycle.due_rounds(round_.voting_ends_at - dt.timedelta(seconds=1)) == []
    assert (genios.tenant_id, round_.pk) in round_cycle.due_rounds(round_.voting_ends_at)
    assert (genios.tenant_id, grand.pk) in round_cycle.due_rounds(grand.voting_ends_at)
    advance(round_, round_.voting_ends_at)
    # In review, waiting for the jury (the next week, starting now, is due to open).
    assert (genios.tenant_id, round_.pk) not in round_cycle.due_rounds(round_.voting_ends_at)


def test_a_crash_between_two_steps_is_finished_by_the_next_tick(
    genios, make_idea, vote, decide, advance, monkeypatch
):
    winner = vote(make_idea(title="Idea A"), 2)
    round_, now = decide([winner])

    def crash(round_, now):
        raise RuntimeError("worker lost between the awards and the announcement")

    monkeypatch.setitem(round_cycle._hooks, "announce", [announce.announce_awards, crash])
    with pytest.raises(RuntimeError):
        advance(round_, now)
    with scope(tenant=genios.tenant):
        round_.refresh_from_db()
        assert round_.state == Round.State.DECIDED  # half-done: awards made, not announced
        assert not Notification.objects.filter(event="idea.won").exists()
    assert counts(genios.tenant) == (1, 1)

    monkeypatch.undo()
    assert advance(round_, now) == ["announced"]
    assert counts(genios.tenant) == (1, 1)
    with scope(tenant=genios.tenant):
        assert Notification.objects.filter(event="idea.won").count() == 1
        assert AuditEntry.objects.filter(action="award.create").count() == 1


def test_a_crash_inside_the_awards_step_leaves_nothing_half_written(
    genios, make_idea, vote, decide, advance, monkeypatch
):
    winner = vote(make_idea(title="Idea A"), 2)
    round_, now = decide([winner])
    from rewards import services

    def crash(award, shares, *, now):
        raise RuntimeError("crash after the award row, before its payouts")

    monkeypatch.setattr(services.awards, "_write_split", crash)
    with pytest.raises(RuntimeError):
        advance(round_, now)
    assert counts(genios.tenant) == (0, 0)
    monkeypatch.undo()
    assert advance(round_, now)[-1] == "announced"
    assert counts(genios.tenant) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_due_round_make_one_award_and_one_payout(
    genios, make_idea, vote, decide
):
    winner = vote(make_idea(title="Idea A"), 2)
    round_, now = decide([winner])
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            with scope(tenant=genios.tenant):
                results.append(round_cycle.round_advance(round=round_, now=now))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert counts(genios.tenant) == (1, 1)
    with scopes_disabled():
        round_.refresh_from_db()
        assert round_.state == Round.State.ANNOUNCED
        assert Notification.objects.filter(event="idea.won").count() == 1
        assert AuditEntry.objects.filter(action="round.announced").count() == 1
    assert sorted(len(r) for r in results)[-1] >= 1


def test_the_grand_round_waits_for_the_weeks_when_their_winners_may_not_win_it(
    make_challenge, seat_jury, make_idea, vote, advance
):
    campaign = seat_jury(make_challenge(slug="sin-repetir", weekly_winners_can_win_grand=False))
    vote(make_idea(campaign=campaign), 1)
    grand = round_of(campaign, 5)
    now = grand.voting_ends_at + dt.timedelta(minutes=1)
    assert advance(grand, now) == ["voting_closed"]  # weeks 1-4 are not decided yet
    assert advance(grand, now) == []
    with scope(tenant=campaign.tenant):
        assert not Shortlist.objects.filter(round=grand).exists()


def test_a_round_nobody_voted_in_closes_without_a_winner_after_the_deadline(
    genios, jury, make_idea, advance
):
    make_idea()  # published, no vote: nothing reaches the jury
    round_ = round_of(genios)
    now = round_.voting_ends_at + dt.timedelta(minutes=1)
    assert advance(round_, now) == ["voting_closed", "in_review"]
    with scope(tenant=genios.tenant):
        deadline = Shortlist.objects.get(round=round_).deadline
    assert advance(round_, deadline - dt.timedelta(minutes=1)) == []  # a wildcard may come
    assert advance(round_, deadline) == ["decided", "announced"]
    assert counts(genios.tenant) == (0, 0)
    with scope(tenant=genios.tenant):
        assert AuditEntry.objects.filter(action="round.nothing_to_judge").count() == 1


def test_the_tick_opens_rounds_whose_start_has_passed_once_and_audited(make_challenge, advance):
    from tests.campaigns.conftest import next_monday

    campaign = make_challenge(slug="futuro", starts_at=next_monday())
    first = round_of(campaign)
    assert first.state == Round.State.SCHEDULED
    assert round_cycle.due_rounds(first.starts_at - dt.timedelta(seconds=1)) == []
    assert (campaign.tenant_id, first.pk) in round_cycle.due_rounds(first.starts_at)
    assert advance(first, first.starts_at) == ["open"]
    assert advance(first, first.starts_at) == []
    with scope(tenant=campaign.tenant):
        first.refresh_from_db()
        opened = AuditEntry.objects.filter(action="round.open", target_id=str(first.public_id))
        assert opened.count() == 1
    assert first.state == Round.State.OPEN
