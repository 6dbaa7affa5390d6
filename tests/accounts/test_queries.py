"""Console lists and the consent check run a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from accounts import services
from accounts.models import Membership

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def add_participants(tenant, make_user, count, start):
    for n in range(start, start + count):
        user = make_user(f"p{n}@example.com")
        with scope(tenant=tenant):
            services.consent_accept(tenant=tenant, user=user, version=1, display_name=f"P{n}")


def test_people_page_queries_do_not_grow_with_participants(ing, owner, make_user, client_for):
    client = client_for(ing, owner)
    add_participants(ing, make_user, 2, 0)
    few = queries(client, "/console/people/")
    add_participants(ing, make_user, 20, 2)
    many = queries(client, "/console/people/")
    assert many == few
    print(f"\n/console/people/: {many} queries for 2 or 22 participants")


def test_team_page_queries_do_not_grow_with_members(ing, owner, make_member, client_for):
    client = client_for(ing, owner)
    few = queries(client, "/console/team/")
    for n in range(10):
        make_member(ing, Membership.Role.JUROR, f"j{n}@ing.example")
    with scope(tenant=ing):
        for n in range(5):
            services.invitation_create(
                tenant=ing, email=f"i{n}@example.com", role="juror", actor=owner
            )
    many = queries(client, "/console/team/")
    assert many == few
    print(f"\n/console/team/: {many} queries for 1 or 11 members")
