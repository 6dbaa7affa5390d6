"""Who sees the console, with every persona."""

import pytest
from django_scopes import scope

from accounts.models import Membership
from core.permissions import has_role

pytestmark = pytest.mark.django_db

Role = Membership.Role


def test_visitor_is_sent_to_sign_in(ing, client_for):
    response = client_for(ing).get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/console/")


def test_participant_gets_404(ing, participant, client_for):
    assert client_for(ing, participant).get("/console/").status_code == 404


def test_other_tenants_owner_gets_404(ing, stranger, client_for):
    assert client_for(ing, stranger).get("/console/").status_code == 404
    assert client_for(ing, stranger).get("/console/team/").status_code == 404


def test_juror_sees_no_console(ing, juror, client_for):
    assert client_for(ing, juror).get("/console/").status_code == 403


@pytest.mark.parametrize("persona", ["owner", "admin", "moderator"])
def test_team_sees_the_console(ing, persona, request, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(ing, user).get("/console/team/")
    assert response.status_code == 200
    assert user.email in response.text


def test_console_link_shown_to_team_only(ing, owner, participant, client_for):
    assert 'href="/console/"' in client_for(ing, owner).get("/").text
    assert 'href="/console/"' not in client_for(ing, participant).get("/").text


def test_api_team_list_needs_a_console_role(ing, owner, juror, participant, stranger, client_for):
    assert client_for(ing).get("/api/v1/console/team").status_code in (401, 403)
    assert client_for(ing, participant).get("/api/v1/console/team").status_code == 404
    assert client_for(ing, stranger).get("/api/v1/console/team").status_code == 404
    assert client_for(ing, juror).get("/api/v1/console/team").status_code == 403
    assert client_for(ing, owner).get("/api/v1/console/team").status_code == 200


@pytest.mark.parametrize(
    ("role", "needed", "expected"),
    [
        (Role.OWNER, Role.ADMIN, True),
        (Role.ADMIN, Role.MODERATOR, True),
        (Role.MODERATOR, Role.ADMIN, False),
        (Role.JUROR, Role.MODERATOR, False),
        (Role.OWNER, Role.JUROR, False),
        (Role.JUROR, Role.JUROR, True),
    ],
)
def test_role_ranking(ing, make_member, role, needed, expected):
    user = make_member(ing, role)
    with scope(tenant=ing):
        assert has_role(user, ing, needed) is expected
