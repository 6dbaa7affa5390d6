"""The demo's votes: a ranking to look at and votes held for review, once."""

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django_scopes import scope

from campaigns.models import Campaign
from ideas.models import Idea
from tenants.models import Tenant
from voting.models import Vote

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_votes_once_with_some_held_for_review(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    ing = Tenant.objects.get(slug="ing")
    with scope(tenant=ing):
        genios = Campaign.objects.get(slug="genios-del-ahorro")
        votes = Vote.objects.filter(idea__campaign=genios)
        assert votes.filter(status="quarantined").count() == 3
        counted = votes.filter(status="counted").count()
        assert counted >= 10
        totals = Idea.objects.filter(campaign=genios).aggregate(total=Sum("vote_count"))
        assert totals["total"] == counted
        leader = Idea.objects.filter(campaign=genios).order_by("-vote_count").first()
        assert leader.vote_count == 9
