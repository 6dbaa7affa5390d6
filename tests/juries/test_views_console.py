"""The brand's jury pages in the console: personas, seating jurors from the
team, settings, a round's shortlist with wildcards and deadline, exports."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django_scopes import scope

from accounts.models import AuditEntry, Membership
from juries import services
from juries.models import Jury, JuryMember, ShortlistEntry

pytestmark = pytest.mark.django_db


def console_pages(campaign, round_=None):
    pages = [
        "/console/juries/",
        f"/console/challenges/{campaign.slug}/jury/",
        f"/console/challenges/{campaign.slug}/jury/decisions.csv",
    ]
    if round_ is not None:
        pages += [
            f"/console/challenges/{campaign.slug}/jury/rounds/{round_.public_id}/",
            f"/console/challenges/{campaign.slug}/jury/rounds/{round_.public_id}/scores.csv",
        ]
    return pages


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 200),
        ("admin", 200),
        ("juror", 403),
        ("participant", 404),
        ("stranger", 404),
    ],
)
def test_console_jury_pages_by_persona(request, client_for, ing, scored_round, persona, expected):
    result, _ideas = scored_round
    client = client_for(ing, request.getfixturevalue(persona))
    for path in console_pages(result.round.campaign, result.round):
        assert client.get(path).status_code == expected, path


def test_moderators_see_the_jury_but_do_not_export(client_for, ing, moderator, scored_round):
    result, _ideas = scored_round
    client = client_for(ing, moderator)
    campaign = result.round.campaign
    assert client.get("/console/juries/").status_code == 200
    assert client.get(f"/console/challenges/{campaign.slug}/jury/").status_code == 200
    round_page = f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/"
    assert client.get(round_page).status_code == 200
    assert client.get(round_page + "scores.csv").status_code == 403
    assert client.get(f"/console/challenges/{campaign.slug}/jury/decisions.csv").status_code == 403


def test_other_tenants_challenges_are_404(client_for, decathlon, stranger, scored_round):
    result, _ideas = scored_round
    client = client_for(decathlon, stranger)
    for path in console_pages(result.round.campaign, result.round)[1:]:
        assert client.get(path).status_code == 404, path


def test_the_console_lists_every_challenges_jury(client_for, ing, owner, genios, jury):
    page = client_for(ing, owner).get("/console/juries/").content.decode()
    assert "Genios del Ahorro" in page
    assert "3 / 3" in page
    assert 'href="/console/juries/"' in page  # the console's nav entry


def test_an_admin_seats_a_team_member_and_names_the_chair(client_for, ing, owner, genios, juror):
    client = client_for(ing, owner)
    url = f"/console/challenges/{genios.slug}/jury/"
    page = client.get(url).content.decode()
    with scope(tenant=ing):
        membership = Membership.objects.get(user=juror)
    assert str(membership.public_id) in page  # offered in the list of the team
    response = client.post(
        url, {"action": "member_add", "membership": str(membership.public_id), "role": "chair"}
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        member = JuryMember.objects.get()
    assert (member.user_id, member.role) == (juror.pk, JuryMember.Role.CHAIR)
    client.post(url, {"action": "member_role", "member": str(member.public_id), "role": "member"})
    with scope(tenant=ing):
        member.refresh_from_db()
    assert member.role == JuryMember.Role.MEMBER
    page = client.get(url).content.decode()
    assert "The jury has no chair" in page
    client.post(url, {"action": "member_remove", "member": str(member.public_id)})
    with scope(tenant=ing):
        assert not JuryMember.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "member_add", "membership": "not-a-uuid"},
        {"action": "member_add", "membership": "00000000-0000-0000-0000-000000000000"},
        {"action": "member_role", "member": "nope", "role": "chair"},
        {"action": "member_remove", "member": "00000000-0000-0000-0000-000000000000"},
        {"action": "settings", "review_days": "zero", "everyone_up_to": "15"},
        {"action": "settings", "review_days": "0", "everyone_up_to": "15"},
        {"action": "explode"},
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_changes(client_for, ing, owner, genios, data):
    response = client_for(ing, owner).post(f"/console/challenges/{genios.slug}/jury/", data)
    assert response.status_code == 400
    assert 'class="message message-error"' in response.content.decode()
    with scope(tenant=ing):
        assert not JuryMember.objects.exists()
        assert Jury.objects.filter(review_days=3).count() == Jury.objects.count()


def test_a_participant_cannot_be_seated_from_the_console(
    client_for, ing, owner, genios, participant
):
    # Not on the team: never offered, and refused if sent anyway (here: a
    # membership id of another tenant).
    response = client_for(ing, owner).post(
        f"/console/challenges/{genios.slug}/jury/",
        {"action": "member_add", "membership": "5c7a8f0e-0000-4000-8000-000000000000"},
    )
    assert response.status_code == 400
    assert "Only people on the brand&#x27;s team can sit on the jury" in response.content.decode()


def test_moderators_cannot_change_the_jury(client_for, ing, moderator, genios, juror):
    with scope(tenant=ing):
        membership = Membership.objects.get(user=juror)
    response = client_for(ing, moderator).post(
        f"/console/challenges/{genios.slug}/jury/",
        {"action": "member_add", "membership": str(membership.public_id)},
    )
    assert response.status_code == 403
    with scope(tenant=ing):
        assert not JuryMember.objects.exists()


def test_settings_are_saved_from_the_console(client_for, ing, owner, genios):
    response = client_for(ing, owner).post(
        f"/console/challenges/{genios.slug}/jury/",
        {
            "action": "settings",
            "review_days": "5",
            "jurors_per_idea": "2",
            "everyone_up_to": "12",
            "normalise": "on",
        },
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        jury = Jury.objects.get()
    assert (jury.review_days, jury.jurors_per_idea, jury.everyone_up_to, jury.normalise) == (
        5,
        2,
        12,
        True,
    )


def test_a_moderator_adds_a_wildcard_with_a_reason(
    client_for, ing, moderator, jury, make_idea, vote, review
):
    vote(make_idea(title="Idea A"), 2)
    wild = make_idea(title="Una idea distinta")  # no vote: not on the shortlist
    result = review()
    campaign = result.round.campaign
    url = f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/"
    client = client_for(ing, moderator)
    assert str(wild.public_id) in client.get(url).content.decode()
    refused = client.post(url, {"action": "wildcard", "idea": str(wild.public_id), "reason": ""})
    assert refused.status_code == 400
    assert "Write the reason." in refused.content.decode()
    bad = client.post(url, {"action": "wildcard", "idea": "nope", "reason": "Why not"})
    assert bad.status_code == 400
    assert "Choose an idea of the challenge." in bad.content.decode()
    done = client.post(
        url, {"action": "wildcard", "idea": str(wild.public_id), "reason": "Fresh angle"}
    )
    assert done.status_code == 302
    with scope(tenant=ing):
        entry = ShortlistEntry.objects.get(idea=wild)
    assert (entry.source, entry.reason, entry.added_by_id) == (
        "wildcard",
        "Fresh angle",
        moderator.pk,
    )


def test_an_admin_moves_the_deadline_in_the_tenants_time_zone(client_for, ing, owner, scored_round):
    result, _ideas = scored_round
    campaign = result.round.campaign
    url = f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/"
    client = client_for(ing, owner)
    assert client.post(url, {"action": "deadline", "deadline": "yesterday"}).status_code == 400
    assert (
        client.post(url, {"action": "deadline", "deadline": "2001-01-01T10:00"}).status_code == 400
    )
    later = result.shortlist.deadline + dt.timedelta(days=1)
    later = later.astimezone(zoneinfo.ZoneInfo("Europe/Madrid")).replace(second=0, microsecond=0)
    response = client.post(url, {"action": "deadline", "deadline": f"{later:%Y-%m-%dT%H:%M}"})
    assert response.status_code == 302
    result.refresh()
    assert result.shortlist.deadline == later
    with scope(tenant=ing):
        assert AuditEntry.objects.filter(action="jury.deadline").exists()


def test_the_scores_export_is_blind_and_safe_for_spreadsheets(
    client_for, ing, owner, all_scored, chair, jorge
):
    result, ideas = all_scored
    campaign = result.round.campaign
    with scope(tenant=ing):
        services.assignment_recuse(
            assignment=result.assignment(jorge, ideas[2]), juror=jorge, reason="=HYPERLINK(1)"
        )
    response = client_for(ing, owner).get(
        f"/console/challenges/{campaign.slug}/jury/rounds/{result.round.public_id}/scores.csv"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode().lstrip("\ufeff"))))
    assert rows[0][:4] == ["Idea", "Idea id", "Juror", "State"]
    assert len(rows) == 1 + 9
    recused = [r for r in rows if r[3] == "recused"]
    assert recused[0][-2] == "'=HYPERLINK(1)"
    weighted = {(r[0], r[2]): r[-3] for r in rows[1:] if r[3] == "submitted"}
    assert weighted[("Idea B", "Elena")] == "100.00"


def test_the_decisions_export(client_for, ing, owner, all_scored, chair):
    result, _ideas = all_scored
    with scope(tenant=ing):
        services.decision_confirm(round=result.round, actor=chair)
    campaign = result.round.campaign
    response = client_for(ing, owner).get(f"/console/challenges/{campaign.slug}/jury/decisions.csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode().lstrip("\ufeff"))))
    assert rows[0][0] == "Round"
    assert len(rows) == 2
    assert rows[1][0] == "1"
    assert rows[1][3] == "Confirmed the aggregate's proposal"
    assert rows[1][6] == "Idea B"
    assert rows[1][8] == "80.00"
