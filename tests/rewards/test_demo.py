"""The demo's prize engine: Auchan three weeks into a challenge, once."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from campaigns.models import Campaign, Criterion, Round
from ideas.models import Comment, Idea
from juries.models import RoundCriterion
from rewards import selectors
from rewards.demo_rewards import SLUG
from rewards.models import Award, Payout, PayoutBatch
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_replays_three_weeks_with_two_winners_paid(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo")
    call_command("seed_demo")  # twice: nothing more
    with scopes_disabled():
        auchan = Tenant.objects.get(slug="auchan")
    with scope(tenant=auchan):
        campaign = Campaign.objects.get(slug=SLUG)
        states = list(
            Round.objects.filter(campaign=campaign)
            .order_by("index")
            .values_list("state", flat=True)
        )
        assert states == ["announced", "announced", "in_review", "open", "open"]
        assert Award.objects.filter(campaign=campaign).count() == 2
        payouts = Payout.objects.filter(campaign=campaign).order_by("award__round__index", "pk")
        # Week 1's prize is shared by Ana and her co-author Marc; week 2's is Marc's.
        assert [(p.recipient.email, p.state, p.amount) for p in payouts] == [
            ("ana@example.com", "paid", Decimal("250.00")),
            ("marc@example.com", "paid", Decimal("250.00")),
            ("marc@example.com", "paid", Decimal("500.00")),
        ]
        assert PayoutBatch.objects.filter(state="closed").count() == 2
        assert Idea.objects.filter(campaign=campaign, vote_count__gt=0).count() == 9
        assert Comment.objects.filter(idea__campaign=campaign, state="published").count() == 9
        books = selectors.books_of(campaign)[0]
        assert books.paid == Decimal("1000.00") and books.balanced
        # A French brand's rubric is French, in the challenge and in each round's copy.
        assert list(Criterion.objects.filter(campaign=campaign).values_list("name", flat=True)) == [
            "Originalité",
            "Utilité",
            "Clarté",
        ]
        assert set(
            RoundCriterion.objects.filter(shortlist__round__campaign=campaign).values_list(
                "name", flat=True
            )
        ) == {"Originalité", "Utilité", "Clarté"}
        assert [w.award.idea_title for w in selectors.winners_of(campaign)] == [
            "Une multiprise à interrupteur",
            "Cuisiner pour la semaine le dimanche",
        ]
