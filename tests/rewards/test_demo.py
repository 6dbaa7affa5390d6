"""The demo's prize engine: "Ahorro en casa" three weeks in, once."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scope

from campaigns.models import Campaign, Round
from ideas.models import Comment, Idea
from rewards import selectors
from rewards.demo_rewards import SLUG
from rewards.models import Award, Payout, PayoutBatch
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_replays_three_weeks_with_two_winners_paid(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo")
    call_command("seed_demo")  # twice: nothing more
    ing = Tenant.objects.get(slug="ing")
    with scope(tenant=ing):
        campaign = Campaign.objects.get(slug=SLUG)
        states = list(
            Round.objects.filter(campaign=campaign)
            .order_by("index")
            .values_list("state", flat=True)
        )
        assert states == ["announced", "announced", "in_review", "open", "open"]
        assert Award.objects.filter(campaign=campaign).count() == 2
        payouts = Payout.objects.filter(campaign=campaign)
        assert [(p.state, p.amount) for p in payouts] == [("paid", Decimal("500.00"))] * 2
        assert PayoutBatch.objects.filter(state="closed").count() == 2
        assert Idea.objects.filter(campaign=campaign, vote_count__gt=0).count() == 9
        assert Comment.objects.filter(idea__campaign=campaign, state="published").count() == 9
        books = selectors.books_of(campaign)[0]
        assert books.paid == Decimal("1000.00") and books.balanced
        assert [w.award.idea_title for w in selectors.winners_of(campaign)] == [
            "Apaga el standby",
            "Cocina por tandas el domingo",
        ]
