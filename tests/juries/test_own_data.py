"""The jury's part of people's own data: a juror's export, and what is left of
a juror or an author who leaves (the decisions keep their frozen record,
without the person's name or removed content)."""

import pytest
from django_scopes import scope

from accounts import personal_data
from accounts import services as account_services
from juries import services
from juries.models import Assignment, Decision, JuryMember

pytestmark = pytest.mark.django_db


def test_a_jurors_export_holds_their_scores_notes_and_conflicts(ing, scored_round, jorge, score):
    result, (a, b, _c) = scored_round
    score(result.assignment(jorge, a), jorge, [7, 8, 9], note="Strong idea")
    with scope(tenant=ing):
        services.assignment_recuse(
            assignment=result.assignment(jorge, b), juror=jorge, reason="My neighbour"
        )
    export = account_services.personal_data_export(user=jorge, tenant=ing)
    jury = export["tenants"][0]["data"]["jury"]
    assert jury["seats"][0]["role"] == "member"
    by_idea = {row["idea"]: row for row in jury["assignments"]}
    assert by_idea["Idea A"]["scores"] == {"Originalidad": 7, "Utilidad": 8, "Claridad": 9}
    assert by_idea["Idea A"]["note"] == "Strong idea"
    assert by_idea["Idea B"]["conflict_of_interest"] == "My neighbour"


def test_a_juror_who_leaves_is_erased_but_the_decision_keeps_its_record(
    ing, all_scored, chair, jorge
):
    result, _ideas = all_scored
    with scope(tenant=ing):
        decision = services.decision_confirm(round=result.round, actor=chair)
    jorge_id = str(jorge.public_id)
    account_services.account_delete(user=jorge, mode=personal_data.ANONYMISE)
    with scope(tenant=ing):
        assert not JuryMember.objects.filter(user_id=jorge.pk).exists()
        assert not Assignment.objects.filter(juror_id=jorge.pk).exists()
        decision = Decision.objects.get(pk=decision.pk)
    names = {row["juror"]: row["name"] for row in decision.aggregate["jurors"]}
    assert names[jorge_id] == "Former juror"
    assert {row["juror_name"] for row in decision.scores if row["juror"] == jorge_id} == {
        "Former juror"
    }
    assert "Jorge" not in str(decision.aggregate) + str(decision.scores)
    assert len(decision.scores) == 9  # the scores stay: the decision was made on them


def test_an_author_who_removes_their_content_leaves_no_title_in_decisions(ing, all_scored, chair):
    result, (_a, b, _c) = all_scored
    with scope(tenant=ing):
        decision = services.decision_confirm(round=result.round, actor=chair)
    account_services.account_delete(user=b.author, mode=personal_data.REMOVE)
    with scope(tenant=ing):
        decision = Decision.objects.get(pk=decision.pk)
    text = str(decision.aggregate) + str(decision.scores)
    assert "Idea B" not in text
    assert "Removed idea" in text
    assert "Idea A" in text
