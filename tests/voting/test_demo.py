"""The demo's votes: a ranking to look at and votes held for review, once."""

import pytest
from django.db.models import Sum
from django_scopes import scope

from ideas.models import Idea
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_votes_once_with_some_held_for_review(seeded_genios):
    genios = seeded_genios
    with scope(tenant=genios.tenant):
        votes = Vote.objects.filter(idea__campaign=genios)
        assert votes.filter(status="quarantined").count() == 3
        counted = votes.filter(status="counted").count()
        assert counted >= 10
        totals = Idea.objects.filter(campaign=genios).aggregate(total=Sum("vote_count"))
        assert totals["total"] == counted
        leader = Idea.objects.filter(campaign=genios).order_by("-vote_count").first()
        assert leader.vote_count == 9
