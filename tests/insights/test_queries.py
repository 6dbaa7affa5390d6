"""The dashboard answers in the same number of queries with 0, 10 and 10,000
ideas (and a vote, a comment and an audit entry for each)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from accounts.models import AuditEntry
from ideas.models import Comment, Idea

# The rewards and jury tests' world (made through the services).
from tests.insights.rewards_world import *  # noqa: F403
from tests.juries.conftest import first_round
from voting.models import Vote

pytestmark = pytest.mark.django_db

GENIOS = "/console/challenges/genios-del-ahorro/insights/"
# The most one page makes (two rounds compared): 41 with nobody taking part,
# 46 once people do (the top ideas' comments and jury scores, for the page and
# the round that has votes, and the most active people's names). The same
# bound at every size.
QUERIES = 46


def seed(campaign, count, author, voter):
    """`count` published ideas of round 1, each with a vote, a comment and the
    audit entry of its submission, written in bulk."""
    round_one = first_round(campaign)
    now = timezone.now()
    with scope(tenant=campaign.tenant):
        ideas = Idea.objects.bulk_create(
            Idea(
                tenant=campaign.tenant,
                campaign=campaign,
                round=round_one,
                author=author,
                title=f"Idea number {n}",
                body="Un truco para ahorrar.",
                state=Idea.State.PUBLISHED,
                submitted_at=now - dt.timedelta(minutes=n % 600),
                published_at=now - dt.timedelta(minutes=n % 600),
                vote_count=1,
                comment_count=1,
            )
            for n in range(count)
        )
        Vote.objects.bulk_create(
            Vote(tenant=campaign.tenant, idea=i, voter=voter, round=round_one, cast_at=now)
            for i in ideas
        )
        Comment.objects.bulk_create(
            Comment(
                tenant=campaign.tenant,
                idea=i,
                author=voter,
                body="Bien",
                state=Comment.State.PUBLISHED,
                published_at=now,
            )
            for i in ideas
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                tenant=campaign.tenant,
                action="idea.submit",
                target_type="ideas.idea",
                target_id=str(i.public_id),
                data={"state": "published", "holds": []},
            )
            for i in ideas
        )
    # What autovacuum does after a bulk load: the planner then knows the tables'
    # sizes (a freshly loaded table looks empty to it, and it picks nested loops).
    with connection.cursor() as cursor:
        for table in ("ideas_idea", "voting_vote", "ideas_comment", "accounts_auditentry"):
            cursor.execute(f"ANALYZE {table}")


@pytest.mark.parametrize("count", [0, 10, 10_000])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    ing, genios, owner, make_person, client_for, count, django_assert_max_num_queries
):
    seed(genios, count, author=make_person("Author"), voter=make_person("Voter"))
    with scope(tenant=ing):
        first, second = [str(r.public_id) for r in genios.rounds.order_by("index")[:2]]
    client = client_for(ing, owner)
    urls = [GENIOS, f"{GENIOS}?round={first}&compare={second}", "/console/insights/"]
    client.get(urls[0])  # the session and the role, read once per client
    for url in urls:
        with django_assert_max_num_queries(QUERIES):
            response = client.get(url)
        assert response.status_code == 200
    if count:
        assert "Idea number" in response.text
