"""The jury's services: members, the shortlist, assignments, scoring, conflicts
of interest, decisions and reminders — through the real database, voting and
notifications."""

import datetime as dt

import pytest
from django_scopes import scope

from accounts.models import AuditEntry
from campaigns import services as campaign_services
from campaigns.models import Round
from core.errors import DomainError
from ideas import services as idea_services
from juries import selectors, services
from juries.models import (
    Assignment,
    Decision,
    Jury,
    JuryMember,
    RoundCriterion,
    Score,
    Shortlist,
    ShortlistEntry,
)
from notifications.models import Notification
from voting import extensions as voting_extensions
from voting import services as voting_services

pytestmark = pytest.mark.django_db


def notifications(tenant, event, recipient=None):
    with scope(tenant=tenant):
        rows = Notification.objects.filter(tenant=tenant, event=event)
        if recipient is not None:
            rows = rows.filter(recipient=recipient)
        return list(rows)


def audit(tenant, action):
    with scope(tenant=tenant):
        return list(AuditEntry.objects.filter(tenant=tenant, action=action))


# --- Members and settings ------------------------------------------------------------------


def test_only_the_brands_team_sits_on_a_jury(genios, owner, participant, stranger):
    with scope(tenant=genios.tenant):
        for outsider in (participant, stranger):
            with pytest.raises(DomainError) as caught:
                services.jury_member_add(campaign=genios, user=outsider, actor=owner)
            assert caught.value.code == "not_on_team"
        assert not JuryMember.objects.exists()


def test_console_roles_and_jurors_may_sit_and_a_new_chair_replaces_the_old(
    genios, owner, moderator, chair, jorge, seat
):
    seat(genios, moderator, JuryMember.Role.CHAIR)
    seat(genios, chair, JuryMember.Role.CHAIR)
    seat(genios, jorge)
    with scope(tenant=genios.tenant):
        roles = dict(JuryMember.objects.values_list("user__email", "role"))
        assert roles == {
            "moderator@ing.example": "member",
            "carmen@ing.example": "chair",
            "jorge@ing.example": "member",
        }
        assert audit(genios.tenant, "jury.member_add")


def test_a_full_jury_and_a_second_seat_are_refused(genios, owner, chair, jorge, elena, admin, seat):
    seat(genios, chair)
    with scope(tenant=genios.tenant), pytest.raises(DomainError) as caught:
        services.jury_member_add(campaign=genios, user=chair, actor=owner)
    assert caught.value.code == "already_member"
    seat(genios, jorge)
    seat(genios, elena)
    with scope(tenant=genios.tenant), pytest.raises(DomainError) as caught:
        services.jury_member_add(campaign=genios, user=admin, actor=owner)
    assert caught.value.code == "jury_full"  # jury_size is 3
    with scope(tenant=genios.tenant):
        assert JuryMember.objects.count() == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"review_days": 0},
        {"review_days": "3"},
        {"jurors_per_idea": 0},
        {"everyone_up_to": 10_000},
        {"normalise": "yes"},
        {"colour": "red"},
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(genios, owner, changes):
    with scope(tenant=genios.tenant):
        with pytest.raises(DomainError) as caught:
            services.jury_settings_update(campaign=genios, actor=owner, **changes)
        assert caught.value.fields
        jury = services.jury_ensure(campaign=genios)
        assert (jury.review_days, jury.jurors_per_idea, jury.normalise) == (3, None, False)


def test_settings_change_and_are_audited(genios, owner):
    with scope(tenant=genios.tenant):
        jury = services.jury_settings_update(
            campaign=genios, actor=owner, review_days=5, jurors_per_idea=2, normalise=True
        )
        assert (jury.review_days, jury.jurors_per_idea, jury.normalise) == (5, 2, True)
        assert Jury.objects.count() == 1
    assert audit(genios.tenant, "jury.settings")[0].data == {
        "review_days": 5,
        "jurors_per_idea": 2,
        "normalise": True,
    }


# --- The shortlist ----------------------------------------------------------------------------


def test_shortlist_is_the_top_n_with_ties_at_the_cut_off(
    genios, owner, jury, make_idea, vote, review
):
    with scope(tenant=genios.tenant):
        campaign_services.campaign_update(campaign=genios, actor=owner, shortlist_size=3)
    ideas = {}
    for title, votes in [
        ("Idea a", 6),
        ("Idea b", 5),
        ("Idea c", 4),
        ("Idea d", 4),
        ("Idea e", 3),
        ("No votes", 0),
    ]:
        ideas[title] = vote(make_idea(title=title), votes)
    result = review()
    with scope(tenant=genios.tenant):
        titles = list(
            ShortlistEntry.objects.filter(shortlist=result.shortlist)
            .order_by("ranking_rank", "idea__title")
            .values_list("idea__title", "ranking_rank", "round_votes")
        )
    # The 3rd idea has 4 votes: the other idea with 4 comes too; 3 votes do not.
    assert titles == [("Idea a", 1, 6), ("Idea b", 2, 5), ("Idea c", 3, 4), ("Idea d", 3, 4)]
    assert result.round.state == Round.State.IN_REVIEW
    assert result.shortlist.size == 3


def test_shortlist_skips_hidden_withdrawn_disqualified_and_voteless_ideas(
    genios, moderator, jury, make_idea, vote, review
):
    kept = vote(make_idea(title="kept"), 1)
    hidden = vote(make_idea(title="hidden"), 5)
    withdrawn = vote(make_idea(title="withdrawn"), 4)
    disqualified = vote(make_idea(title="disqualified"), 3)
    make_idea(title="voteless")
    with scope(tenant=genios.tenant):
        idea_services.ideas_moderate(ideas=[hidden], actor=moderator, action="hide", reason="Spam")
        idea_services.idea_withdraw(idea=withdrawn, actor=withdrawn.author)
        voting_services.idea_disqualify(idea=disqualified, actor=moderator, reason="Bought votes")
    result = review()
    with scope(tenant=genios.tenant):
        assert list(
            ShortlistEntry.objects.filter(shortlist=result.shortlist).values_list(
                "idea__title", flat=True
            )
        ) == [kept.title]


def test_building_twice_changes_nothing_and_tells_nobody_twice(
    genios, jury, chair, make_idea, vote, review
):
    idea = vote(make_idea(), 2)
    first = review()
    with scope(tenant=genios.tenant):
        again = services.shortlist_build(round=first.round, now=first.now)
        assert again.pk == first.shortlist.pk
        assert Shortlist.objects.count() == 1
        assert ShortlistEntry.objects.count() == 1
        assert Assignment.objects.count() == 3
    assert len(notifications(genios.tenant, "jury.shortlist_ready", chair)) == 1
    assert len(notifications(genios.tenant, "idea.shortlisted", idea.author)) == 1
    assert len(audit(genios.tenant, "jury.shortlist_build")) == 1


def test_no_shortlist_while_the_round_takes_votes(genios, jury, make_idea, vote):
    vote(make_idea(), 1)
    with scope(tenant=genios.tenant):
        round_ = Round.objects.get(campaign=genios, index=1)
        with pytest.raises(DomainError) as caught:
            services.shortlist_build(round=round_)
        assert caught.value.code == "voting_not_closed"
        assert not Shortlist.objects.exists()
        round_.refresh_from_db()
        assert round_.state == Round.State.OPEN


def test_the_rubric_is_frozen_for_the_round(genios, owner, jury, make_idea, vote, review):
    vote(make_idea(), 1)
    result = review()
    with scope(tenant=genios.tenant):
        campaign_services.campaign_update(
            campaign=genios,
            actor=owner,
            criteria=[{"name": "Impacto", "weight": 100, "scale_min": 0, "scale_max": 5}],
        )
    with scope(tenant=genios.tenant):
        rubric = list(
            RoundCriterion.objects.filter(shortlist=result.shortlist).values_list(
                "name", "weight", "scale_min", "scale_max"
            )
        )
    assert rubric == [
        ("Originalidad", 40, 1, 10),
        ("Utilidad", 40, 1, 10),
        ("Claridad", 20, 1, 10),
    ]


def test_the_deadline_counts_the_review_days_from_the_end_of_voting(
    genios, owner, jury, make_idea, vote, review
):
    with scope(tenant=genios.tenant):
        services.jury_settings_update(campaign=genios, actor=owner, review_days=2)
    vote(make_idea(), 1)
    result = review()
    assert result.shortlist.deadline == result.now + dt.timedelta(days=2)


def test_a_wildcard_needs_a_reason_and_joins_every_jurors_list(
    genios, moderator, jury, chair, make_idea, vote, review
):
    vote(make_idea(title="top"), 3)
    wildcard = make_idea(title="wild")
    result = review()
    with scope(tenant=genios.tenant):
        for reason in ("", "   "):
            with pytest.raises(DomainError) as caught:
                services.shortlist_add_wildcard(
                    round=result.round, idea=wildcard, actor=moderator, reason=reason
                )
            assert caught.value.fields == {"reason": ["Write the reason."]}
        entry = services.shortlist_add_wildcard(
            round=result.round, idea=wildcard, actor=moderator, reason="Original, few votes"
        )
        assert entry.source == ShortlistEntry.Source.WILDCARD
        assert Assignment.objects.filter(idea=wildcard).count() == 3
        with pytest.raises(DomainError) as caught:
            services.shortlist_add_wildcard(
                round=result.round, idea=wildcard, actor=moderator, reason="Again"
            )
        assert caught.value.code == "not_eligible"
    assert audit(genios.tenant, "jury.wildcard_add")[0].reason == "Original, few votes"


def test_a_wildcard_must_be_a_published_idea_of_the_challenge(
    genios, make_challenge, moderator, jury, make_idea, vote, review
):
    vote(make_idea(), 1)
    result = review()
    draft = make_idea(title="Draft", draft=True)
    other = make_challenge(slug="otro", title="Otro reto")
    elsewhere = make_idea(campaign=other, title="Elsewhere")
    with scope(tenant=genios.tenant):
        for idea in (draft, elsewhere):
            with pytest.raises(DomainError) as caught:
                services.shortlist_add_wildcard(
                    round=result.round, idea=idea, actor=moderator, reason="Why not"
                )
            assert caught.value.code == "not_eligible"
        assert ShortlistEntry.objects.count() == 1


# --- Assignments ------------------------------------------------------------------------------


def test_every_juror_scores_every_idea_on_a_small_shortlist(
    genios, jury, chair, jorge, elena, make_idea, vote, review
):
    for n in range(3):
        vote(make_idea(title=f"idea {n}"), 3 - n)
    result = review()
    for juror in (chair, jorge, elena):
        assert [a.position for a in result.assignments(juror)] == [1, 2, 3]
    assert result.shortlist.jurors_per_idea is None


def test_a_large_shortlist_is_shared_out_evenly_and_deterministically(
    genios, owner, jury, chair, jorge, elena, make_idea, vote, review
):
    with scope(tenant=genios.tenant):
        services.jury_settings_update(
            campaign=genios, actor=owner, jurors_per_idea=2, everyone_up_to=3
        )
    ideas = [vote(make_idea(title=f"idea {n}"), 6 - n) for n in range(6)]
    result = review()
    assert result.shortlist.jurors_per_idea == 2
    with scope(tenant=genios.tenant):
        by_idea = {
            idea.title: sorted(
                Assignment.objects.filter(idea=idea).values_list("juror__email", flat=True)
            )
            for idea in ideas
        }
    # Each idea has 2 jurors; each juror 4 ideas (12 = 6 x 2 shared by 3).
    assert all(len(jurors) == 2 for jurors in by_idea.values())
    assert [len(result.assignments(j)) for j in (chair, jorge, elena)] == [4, 4, 4]
    # Fewest ideas first, earlier seat on ties: the order is fixed.
    assert by_idea["idea 0"] == ["carmen@ing.example", "jorge@ing.example"]
    assert by_idea["idea 1"] == ["carmen@ing.example", "elena@ing.example"]
    assert by_idea["idea 2"] == ["elena@ing.example", "jorge@ing.example"]


def test_a_recusal_hands_the_idea_to_another_juror_when_ideas_are_shared_out(
    genios, owner, jury, chair, jorge, elena, make_idea, vote, review
):
    with scope(tenant=genios.tenant):
        services.jury_settings_update(
            campaign=genios, actor=owner, jurors_per_idea=2, everyone_up_to=1
        )
    first = vote(make_idea(title="first"), 2)
    vote(make_idea(title="second"), 1)
    result = review()
    assignment = result.assignment(chair, first)
    with scope(tenant=genios.tenant):
        services.assignment_recuse(assignment=assignment, juror=chair, reason="My cousin's idea")
        active = set(
            Assignment.objects.filter(idea=first)
            .exclude(state=Assignment.State.RECUSED)
            .values_list("juror__email", flat=True)
        )
    assert active == {"jorge@ing.example", "elena@ing.example"}


def test_a_member_seated_during_review_gets_the_round_and_a_removed_one_leaves_it(
    genios, owner, chair, jorge, elena, seat, make_idea, vote, review
):
    seat(genios, chair, JuryMember.Role.CHAIR)
    seat(genios, jorge)
    vote(make_idea(title="one"), 2)
    vote(make_idea(title="two"), 1)
    result = review()
    assert len(result.assignments(elena)) == 0
    seat(genios, elena)
    assert len(result.assignments(elena)) == 2
    with scope(tenant=genios.tenant):
        member = JuryMember.objects.get(user=jorge)
        services.jury_member_remove(member=member, actor=owner)
    assert result.assignments(jorge) == []


# --- Scoring ---------------------------------------------------------------------------------


def test_autosave_keeps_scores_within_the_scale(scored_round, chair, score):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    criteria = result.criteria()
    with scope(tenant=result.round.tenant):
        for bad in (0, 11, "seven", 3.5, True):
            with pytest.raises(DomainError) as caught:
                services.score_save(
                    assignment=assignment, juror=chair, values={str(criteria[0].public_id): bad}
                )
            assert list(caught.value.fields) == [str(criteria[0].public_id)]
        with pytest.raises(DomainError):
            services.score_save(assignment=assignment, juror=chair, values={"nope": 3})
        with pytest.raises(DomainError):
            services.score_save(assignment=assignment, juror=chair, note="x" * 5001)
        assert not Score.objects.exists()
        services.score_save(
            assignment=assignment,
            juror=chair,
            values={str(criteria[0].public_id): "7", str(criteria[1].public_id): 10},
            note="Muy claro",
        )
        services.score_save(
            assignment=assignment, juror=chair, values={str(criteria[1].public_id): None}
        )
        assert dict(Score.objects.values_list("criterion__name", "value")) == {"Originalidad": 7}
        assignment.refresh_from_db()
        assert assignment.note == "Muy claro"


def test_only_the_assigned_juror_scores(scored_round, chair, jorge):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    with scope(tenant=result.round.tenant), pytest.raises(DomainError) as caught:
        services.score_save(assignment=assignment, juror=jorge, values={})
    assert caught.value.code == "not_assigned"


def test_submitting_needs_every_criterion_and_happens_once(scored_round, chair, score):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[0])
    score(assignment, chair, [8, 7, 9], submit=False)
    criteria = result.criteria()
    with scope(tenant=result.round.tenant):
        services.score_save(
            assignment=assignment, juror=chair, values={str(criteria[2].public_id): None}
        )
        with pytest.raises(DomainError) as caught:
            services.assignment_submit(assignment=assignment, juror=chair)
        assert caught.value.code == "scores_missing"
        assert list(caught.value.fields) == [str(criteria[2].public_id)]
    done = score(assignment, chair, [8, 7, 9])
    assert done.state == Assignment.State.SUBMITTED
    with scope(tenant=result.round.tenant):
        again = services.assignment_submit(assignment=assignment, juror=chair)
        assert again.submitted_at == done.submitted_at
        with pytest.raises(DomainError) as caught:
            services.score_save(
                assignment=assignment, juror=chair, values={str(criteria[0].public_id): 1}
            )
        assert caught.value.code == "assignment_submitted"
    entry = audit(result.round.tenant, "jury.assignment_submit")
    assert len(entry) == 1
    assert entry[0].data == {"scores": {"Originalidad": 8, "Utilidad": 7, "Claridad": 9}}


def test_a_conflict_of_interest_needs_a_reason_and_is_on_record(scored_round, chair, score):
    result, ideas = scored_round
    assignment = result.assignment(chair, ideas[1])
    with scope(tenant=result.round.tenant):
        with pytest.raises(DomainError) as caught:
            services.assignment_recuse(assignment=assignment, juror=chair, reason=" ")
        assert caught.value.code == "reason_required"
        services.assignment_recuse(assignment=assignment, juror=chair, reason="I know the author")
        assignment.refresh_from_db()
        assert assignment.state == Assignment.State.RECUSED
        with pytest.raises(DomainError):
            services.assignment_submit(assignment=assignment, juror=chair)
    assert audit(result.round.tenant, "jury.recuse")[0].reason == "I know the author"


# --- Aggregation through the services, by hand --------------------------------------------------


def test_aggregate_of_a_round_computed_by_hand(scored_round, chair, jorge, elena, score):
    """Rubric originality 40 / usefulness 40 / clarity 20, each 1-10: a score v
    is (v - 1) / 9 x 100 on 0-100 (1 → 0, 4 → 33.33, 7 → 66.67, 10 → 100).

        chair  A (10, 10, 1) = 80       B (7, 7, 7) = 66.67    C (4, 10, 10) = 73.33
        jorge  A (7, 4, 10)  = 60       B (10, 7, 4) = 73.33   C recused
        elena  A (4, 4, 4)   = 33.33    B (10, 10, 10) = 100   C (7, 7, 10) = 73.33

    Means: A 57.78, B 80, C 73.33 (jorge left out of C) → B, C, A."""
    result, (a, b, c) = scored_round
    score(result.assignment(chair, a), chair, [10, 10, 1])
    score(result.assignment(chair, b), chair, [7, 7, 7])
    score(result.assignment(chair, c), chair, [4, 10, 10])
    score(result.assignment(jorge, a), jorge, [7, 4, 10])
    score(result.assignment(jorge, b), jorge, [10, 7, 4])
    score(result.assignment(jorge, c), jorge, [1, 1, 1], submit=False)
    with scope(tenant=result.round.tenant):
        services.assignment_recuse(
            assignment=result.assignment(jorge, c), juror=jorge, reason="Neighbour"
        )
    score(result.assignment(elena, a), elena, [4, 4, 4])
    score(result.assignment(elena, b), elena, [10, 10, 10])
    score(result.assignment(elena, c), elena, [7, 7, 10])

    with scope(tenant=result.round.tenant):
        aggregate = selectors.round_aggregate(result.shortlist)
    rows = aggregate.aggregate.ideas
    assert [aggregate.idea_of(r.key).title for r in rows] == ["Idea B", "Idea C", "Idea A"]
    assert [r.aggregate for r in rows] == pytest.approx([80, 73.3333, 57.7778], abs=1e-3)
    assert [r.counted for r in rows] == [3, 2, 3]
    assert rows[1].recused == 1
    assert [aggregate.idea_of(k).title for k in aggregate.aggregate.proposed] == ["Idea B"]

    # Normalised (z-scores per juror):
    #   chair mean 73.33, sd 5.443: A +1.2247, B -1.2247, C 0
    #   jorge mean 66.67, sd 6.667: A -1, B +1
    #   elena mean 68.89, sd 27.397: A -1.2978, B +1.1355, C +0.1622
    # Means: B 0.3036, C 0.0811, A -0.3577 → B, C, A.
    with scope(tenant=result.round.tenant):
        normalised = selectors.round_aggregate(result.shortlist, normalise=True)
    rows = normalised.aggregate.ideas
    assert [normalised.idea_of(r.key).title for r in rows] == ["Idea B", "Idea C", "Idea A"]
    assert [r.aggregate for r in rows] == pytest.approx([0.3036, 0.0811, -0.3577], abs=1e-3)


# --- Decisions ---------------------------------------------------------------------------------


def test_only_the_chair_decides(all_scored, jorge, owner):
    result, _ideas = all_scored
    with scope(tenant=result.round.tenant):
        for person in (jorge, owner):
            with pytest.raises(DomainError) as caught:
                services.decision_confirm(round=result.round, actor=person)
            assert caught.value.code == "not_chair"
            assert caught.value.status == 403
        assert not Decision.objects.exists()


def test_the_chair_confirms_and_everything_is_frozen_and_audited(all_scored, chair, jorge):
    result, (_a, b, c) = all_scored
    with scope(tenant=result.round.tenant):
        decision = services.decision_confirm(round=result.round, actor=chair)
        assert decision.kind == Decision.Kind.CONFIRMED
        assert [w.idea_id for w in decision.winners.all()] == [b.pk]
        result.refresh()
        assert result.round.state == Round.State.DECIDED
        frozen = decision.aggregate
        assert [row["title"] for row in frozen["ideas"]] == ["Idea B", "Idea C", "Idea A"]
        assert frozen["method"] == "mean"
        assert len(decision.scores) == 9
        assert decision.missing_assignments == 0
        # Confirming again returns the same decision.
        assert services.decision_confirm(round=result.round, actor=chair).pk == decision.pk
        # Later changes cannot reach the scores: the round is decided.
        with pytest.raises(DomainError) as caught:
            services.assignment_recuse(
                assignment=result.assignment(jorge, c), juror=jorge, reason="Late"
            )
        assert caught.value.code == "decided"
        assert selectors.decision_of(result.round).pk == decision.pk
    entries = audit(result.round.tenant, "jury.decision_confirmed")
    assert len(entries) == 1
    assert entries[0].data["winners"] == [str(b.public_id)]
    assert audit(result.round.tenant, "round.decided")


def test_an_override_needs_a_reason_and_shortlisted_winners(all_scored, chair):
    result, (a, b, c) = all_scored
    with scope(tenant=result.round.tenant):
        entries = {e.idea_id: e for e in ShortlistEntry.objects.all()}
        cases = [
            ([entries[a.pk]], "", "reason_required"),
            ([], "Because", "bad_winners"),
            ([entries[a.pk], entries[c.pk]], "Two for one prize", "bad_winners"),
            ([None], "Not on the shortlist", "bad_winners"),
        ]
        for winners, reason, code in cases:
            with pytest.raises(DomainError) as caught:
                services.decision_override(
                    round=result.round, actor=chair, winners=winners, reason=reason
                )
            assert caught.value.code == code
        assert not Decision.objects.exists()
        decision = services.decision_override(
            round=result.round,
            actor=chair,
            winners=[entries[a.pk]],
            reason="A is more useful to our customers today",
        )
        assert decision.kind == Decision.Kind.OVERRIDDEN
        assert [w.idea_id for w in decision.winners.all()] == [a.pk]
        assert decision.proposed == [str(entries[b.pk].public_id)]
        same = services.decision_override(
            round=result.round, actor=chair, winners=[entries[a.pk]], reason="Again"
        )
        assert same.pk == decision.pk
        with pytest.raises(DomainError) as caught:
            services.decision_confirm(round=result.round, actor=chair)
        assert caught.value.code == "already_decided"
    assert audit(result.round.tenant, "jury.decision_overridden")[0].reason == (
        "A is more useful to our customers today"
    )


def test_the_chair_waits_for_the_jurors_until_the_deadline(
    scored_round, chair, jorge, elena, score
):
    result, (a, b, c) = scored_round
    for idea, values in zip((a, b, c), [[9, 9, 9], [5, 5, 5], [1, 1, 1]], strict=True):
        score(result.assignment(chair, idea), chair, values)
    score(result.assignment(jorge, a), jorge, [8, 8, 8])
    with scope(tenant=result.round.tenant):
        with pytest.raises(DomainError) as caught:
            services.decision_confirm(round=result.round, actor=chair)
        assert caught.value.code == "jurors_still_scoring"
        assert not selectors.decidable(result.shortlist, chair)
        # Past the deadline: the chair decides with the scores there are.
        later = result.shortlist.deadline + dt.timedelta(minutes=1)
        assert selectors.decidable(result.shortlist, chair, now=later)
        decision = services.decision_confirm(round=result.round, actor=chair, now=later)
        assert decision.missing_assignments == 5
        assert [w.idea_id for w in decision.winners.all()] == [a.pk]


def test_the_chair_scores_their_own_ideas_before_deciding(scored_round, chair):
    result, _ideas = scored_round
    later = result.shortlist.deadline + dt.timedelta(minutes=1)
    with scope(tenant=result.round.tenant), pytest.raises(DomainError) as caught:
        services.decision_confirm(round=result.round, actor=chair, now=later)
    assert caught.value.code == "chair_not_done"


def test_nothing_scored_leaves_the_chair_to_choose_with_a_reason(scored_round, chair):
    result, (a, _b, _c) = scored_round
    with scope(tenant=result.round.tenant):
        for assignment in result.assignments(chair):
            services.assignment_recuse(assignment=assignment, juror=chair, reason="Too close")
        later = result.shortlist.deadline + dt.timedelta(minutes=1)
        with pytest.raises(DomainError) as caught:
            services.decision_confirm(round=result.round, actor=chair, now=later)
        assert caught.value.code == "nothing_to_confirm"
        entry = ShortlistEntry.objects.get(idea=a)
        decision = services.decision_override(
            round=result.round, actor=chair, winners=[entry], reason="Nobody scored", now=later
        )
        assert decision.kind == Decision.Kind.OVERRIDDEN


def test_a_round_winner_is_not_shortlisted_for_the_grand_prize_when_the_rules_say_so(
    genios, owner, jury, chair, all_scored
):
    with scope(tenant=genios.tenant):
        campaign_services.campaign_update(
            campaign=genios, actor=owner, weekly_winners_can_win_grand=False
        )
    result, (_a, b, _c) = all_scored
    with scope(tenant=genios.tenant):
        grand = Round.objects.get(campaign=genios, kind=Round.Kind.GRAND)
        with pytest.raises(DomainError) as caught:  # round 1 is not decided yet
            services.shortlist_build(
                round=grand, now=grand.voting_ends_at + dt.timedelta(minutes=1)
            )
        assert caught.value.code == "rounds_undecided"
        services.decision_confirm(round=result.round, actor=chair)  # B wins the week
        assert b.pk in voting_extensions.awarded_ideas(genios)  # for the rankings too
        # The other weeks are decided in their turn (nobody voted in them here).
        # (Set directly: their own way through the cycle is not what this tests.)
        Round.objects.filter(campaign=genios, kind=Round.Kind.WEEKLY, index__gt=1).update(
            state=Round.State.DECIDED
        )
        shortlist = services.shortlist_build(
            round=grand, now=grand.voting_ends_at + dt.timedelta(minutes=1)
        )
        titles = set(
            ShortlistEntry.objects.filter(shortlist=shortlist).values_list("idea__title", flat=True)
        )
        assert titles == {"Idea A", "Idea C"}
        with pytest.raises(DomainError) as caught:
            services.shortlist_add_wildcard(round=grand, idea=b, actor=owner, reason="Best")
        assert caught.value.code == "not_eligible"


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_before_the_deadline_then_to_the_chair(scored_round, chair, jorge, elena, score):
    result, ideas = scored_round
    for idea in ideas:
        score(result.assignment(elena, idea), elena, [5, 5, 5])
    deadline = result.shortlist.deadline
    with scope(tenant=result.round.tenant):
        assert (
            services.reminders_send(
                shortlist=result.shortlist, now=deadline - dt.timedelta(hours=30)
            )
            == 0
        )
        day_before = deadline - dt.timedelta(hours=23)
        assert services.reminders_send(shortlist=result.shortlist, now=day_before) == 2
        services.reminders_send(shortlist=result.shortlist, now=day_before)  # again: nothing new
    assert len(notifications(result.round.tenant, "jury.deadline_reminder", chair)) == 1
    assert len(notifications(result.round.tenant, "jury.deadline_reminder", jorge)) == 1
    assert notifications(result.round.tenant, "jury.deadline_reminder", elena) == []

    with scope(tenant=result.round.tenant):
        late = deadline + dt.timedelta(minutes=5)
        services.reminders_send(shortlist=result.shortlist, now=late)
        services.reminders_send(shortlist=result.shortlist, now=late)
    told = notifications(result.round.tenant, "jury.jurors_late")
    assert [(n.recipient_id, n.context["late_count"]) for n in told] == [(chair.pk, 2)]


def test_without_a_chair_the_brands_managers_hear_of_late_jurors(
    genios, owner, admin, jorge, seat, make_idea, vote, review
):
    seat(genios, jorge)
    vote(make_idea(), 1)
    result = review()
    with scope(tenant=genios.tenant):
        services.reminders_send(
            shortlist=result.shortlist, now=result.shortlist.deadline + dt.timedelta(hours=1)
        )
    told = {n.recipient_id for n in notifications(genios.tenant, "jury.jurors_late")}
    assert told == {owner.pk, admin.pk}


def test_jurors_are_told_the_shortlist_is_ready_and_authors_that_they_are_on_it(
    genios, jury, chair, jorge, elena, make_idea, vote, review
):
    idea = vote(make_idea(), 1)
    result = review()
    for juror in (chair, jorge, elena):
        [told] = notifications(genios.tenant, "jury.shortlist_ready", juror)
        assert told.context["url"] == f"/jury/rounds/{result.round.public_id}/"
        assert told.context["deadline"] == result.shortlist.deadline.isoformat()
    [shortlisted] = notifications(genios.tenant, "idea.shortlisted", idea.author)
    assert shortlisted.context["idea_title"] == idea.title


def test_idea_of_another_tenant_cannot_be_a_wildcard(
    genios,
    decathlon,
    stranger,
    moderator,
    jury,
    make_idea,
    vote,
    review,
    make_challenge,
    make_person,
):
    vote(make_idea(), 1)
    result = review()
    theirs = make_challenge(tenant=decathlon, actor=stranger, slug="deca")
    author = make_person(tenant=decathlon)
    with scope(tenant=decathlon):
        foreign = idea_services.idea_submit(
            campaign=theirs, author=author, title="Foreign", body="Une idée d'ailleurs."
        )
    with scope(tenant=genios.tenant), pytest.raises(DomainError):
        services.shortlist_add_wildcard(
            round=result.round, idea=foreign, actor=moderator, reason="Steal it"
        )
