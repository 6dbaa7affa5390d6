"""Who took part in the period: the most active people (ideas submitted, votes
cast, comments written) and how many took part at all."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, IntegerField, Q, Value

from accounts.selectors import public_names
from ideas.models import Comment, Idea
from insights.selection import Selection
from insights.selectors.common import campaign_q, period_q
from voting.models import Vote

SUBMITTED = (Idea.State.PENDING, Idea.State.PUBLISHED, Idea.State.HIDDEN, Idea.State.MERGED)


@dataclass
class Person:
    user_id: int
    name: str
    ideas: int
    votes: int
    comments: int

    @property
    def total(self) -> int:
        return self.ideas + self.votes + self.comments


@dataclass
class Activity:
    people: int = 0
    ideas: int = 0
    votes: int = 0
    comments: int = 0


def _contributions(selection: Selection):
    """One row per contribution: (person, is an idea, is a vote, is a comment),
    as the SQL of a UNION ALL the ORM writes (so the tenant's scope and the
    filters are the ORM's own)."""
    one, zero = Value(1, IntegerField()), Value(0, IntegerField())
    columns = ("person", "i", "v", "c")
    ideas = Idea.objects.filter(
        campaign_q(selection),
        period_q(selection, "submitted_at"),
        tenant=selection.tenant,
        author__isnull=False,
        state__in=SUBMITTED,
    ).annotate(person=F("author_id"), i=one, v=zero, c=zero)
    votes = Vote.objects.filter(
        campaign_q(selection, "idea__campaign"),
        period_q(selection, "cast_at"),
        tenant=selection.tenant,
        status=Vote.Status.COUNTED,
    ).annotate(person=F("voter_id"), i=zero, v=one, c=zero)
    comments = Comment.objects.filter(
        campaign_q(selection, "idea__campaign"),
        period_q(selection, "created_at"),
        Q(state=Comment.State.PUBLISHED),
        tenant=selection.tenant,
        author__isnull=False,
    ).annotate(person=F("author_id"), i=zero, v=zero, c=one)
    union = (
        ideas.order_by()
        .values_list(*columns)
        .union(
            votes.order_by().values_list(*columns),
            comments.order_by().values_list(*columns),
            all=True,
        )
    )
    return union.query.sql_with_params()


def most_active(*, selection: Selection, limit: int = 10) -> list[Person]:
    """The people with most contributions in the period, most first (two
    queries). The three kinds are summed per person by PostgreSQL: grouping
    a union is beyond the ORM, and doing it in Python would read every vote."""
    sql, params = _contributions(selection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person, SUM(i), SUM(v), SUM(c) FROM ({sql}) AS contributions "  # noqa: S608
            "GROUP BY person ORDER BY SUM(i) + SUM(v) + SUM(c) DESC, SUM(i) DESC, person "
            "LIMIT %s",
            [*params, limit],
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    names = public_names(tenant=selection.tenant, user_ids=[row[0] for row in rows])
    return [
        Person(user_id=uid, name=names[uid], ideas=int(i), votes=int(v), comments=int(c))
        for uid, i, v, c in rows
    ]


def activity(*, selection: Selection) -> Activity:
    """The period's totals: people who took part, ideas, votes, comments (one query)."""
    sql, params = _contributions(selection)
    with connection.cursor() as cursor:
        totals = (
            "COUNT(DISTINCT person), COALESCE(SUM(i), 0), COALESCE(SUM(v), 0), COALESCE(SUM(c), 0)"
        )
        # `sql` is the ORM's own, its values passed as parameters.
        cursor.execute(f"SELECT {totals} FROM ({sql}) AS contributions", params)  # noqa: S608
        people, ideas, votes, comments = cursor.fetchone()
    return Activity(people=people, ideas=int(ideas), votes=int(votes), comments=int(comments))
