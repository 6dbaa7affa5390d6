"""Who may decide is asked first: on a round already decided, confirming or
overriding again answers the decision to its chair only. Anyone else gets the
same refusal as before the decision (403 for the jury's members and the
brand's managers, 404 for people outside), and nothing is written."""

import pytest
from django_scopes import scope

from accounts.models import AuditEntry
from juries import services
from juries.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(all_scored, chair):
    result, _ideas = all_scored
    with scope(tenant=result.round.tenant):
        decision = services.decision_confirm(round=result.round, actor=chair)
    return result, decision


@pytest.fixture
def overridden(all_scored, chair):
    result, (a, _b, _c) = all_scored
    with scope(tenant=result.round.tenant):
        entry = result.shortlist.entries.get(idea=a)
        decision = services.decision_override(
            round=result.round, actor=chair, winners=[entry], reason="Bolder"
        )
    return result, decision, entry


def _trail(tenant) -> int:
    with scope(tenant=tenant):
        return AuditEntry.objects.filter(tenant=tenant).count()


def _nothing_changed(tenant, decision, trail_before):
    """No audit entry was added and the decision is still the only one."""
    assert _trail(tenant) == trail_before
    with scope(tenant=tenant):
        assert list(Decision.objects.values_list("pk", flat=True)) == [decision.pk]


def test_the_service_refuses_others_before_answering_already_confirmed(confirmed, jorge, owner):
    result, decision = confirmed
    with scope(tenant=result.round.tenant):
        for person in (jorge, owner):
            with pytest.raises(services.NotChair):
                services.decision_confirm(round=result.round, actor=person)
        # The chair confirming again still gets the first decision.
        assert (
            decision.pk
            == services.decision_confirm(round=result.round, actor=decision.decided_by).pk
        )


def test_the_service_refuses_others_before_answering_the_same_override(overridden, jorge, owner):
    result, _decision, entry = overridden
    with scope(tenant=result.round.tenant):
        for person in (jorge, owner):
            with pytest.raises(services.NotChair):
                services.decision_override(
                    round=result.round, actor=person, winners=[entry], reason="Bolder"
                )


def test_on_the_round_page_a_member_gets_403_and_the_owner_404(
    client_for, ing, confirmed, jorge, owner
):
    result, decision = confirmed
    url = f"/jury/rounds/{result.round.public_id}/decision/"
    before = _trail(ing)
    response = client_for(ing, jorge).post(url, {"action": "confirm"})
    assert response.status_code == 403
    assert "Only the jury&#x27;s chair decides." in response.content.decode()
    # The owner does not sit on this jury: its pages do not exist for them.
    assert client_for(ing, owner).post(url, {"action": "confirm"}).status_code == 404
    _nothing_changed(ing, decision, before)


def test_on_the_round_page_an_override_repeated_by_a_member_gets_403(
    client_for, ing, overridden, jorge
):
    result, _decision, entry = overridden
    response = client_for(ing, jorge).post(
        f"/jury/rounds/{result.round.public_id}/decision/",
        {"action": "override", "winner-1": str(entry.public_id), "reason": "Bolder"},
    )
    assert response.status_code == 403


def test_on_the_round_page_the_chair_confirming_again_is_sent_to_the_round(
    client_for, ing, confirmed, chair
):
    result, _decision = confirmed
    response = client_for(ing, chair).post(
        f"/jury/rounds/{result.round.public_id}/decision/", {"action": "confirm"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["jorge", "owner", "admin"])
def test_through_the_api_a_member_and_the_managers_get_403(
    request, client_for, ing, confirmed, persona
):
    result, decision = confirmed
    person = request.getfixturevalue(persona)
    url = f"/api/v1/jury/rounds/{result.round.public_id}/decision"
    before = _trail(ing)
    response = client_for(ing, person).post(
        url, {"action": "confirm"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_chair"
    _nothing_changed(ing, decision, before)


def test_through_the_api_a_repeated_override_by_the_owner_gets_403(
    client_for, ing, overridden, owner
):
    result, _decision, entry = overridden
    response = client_for(ing, owner).post(
        f"/api/v1/jury/rounds/{result.round.public_id}/decision",
        {"action": "override", "winners": [str(entry.public_id)], "reason": "Bolder"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_chair"


def test_through_the_api_the_chair_confirming_again_gets_the_decision(
    client_for, ing, confirmed, chair
):
    result, decision = confirmed
    response = client_for(ing, chair).post(
        f"/api/v1/jury/rounds/{result.round.public_id}/decision",
        {"action": "confirm"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["decision"]["id"] == str(decision.public_id)


@pytest.mark.parametrize("persona", ["participant", "stranger", "moderator"])
def test_people_outside_the_jury_still_get_404(request, client_for, ing, confirmed, persona):
    result, _decision = confirmed
    client = client_for(ing, request.getfixturevalue(persona))
    page = client.post(f"/jury/rounds/{result.round.public_id}/decision/", {"action": "confirm"})
    assert page.status_code == 404
    api = client.post(
        f"/api/v1/jury/rounds/{result.round.public_id}/decision",
        {"action": "confirm"},
        content_type="application/json",
    )
    assert api.status_code == 404


def test_a_signed_out_visitor_is_refused(client_for, ing, confirmed):
    result, _decision = confirmed
    client = client_for(ing)
    page = client.post(f"/jury/rounds/{result.round.public_id}/decision/", {"action": "confirm"})
    assert page.status_code == 302 and "/login" in page["Location"]
    api = client.post(
        f"/api/v1/jury/rounds/{result.round.public_id}/decision",
        {"action": "confirm"},
        content_type="application/json",
    )
    assert api.status_code in (401, 403)
