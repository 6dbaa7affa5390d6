"""The demo's ideas: tips with and without images, one waiting for review."""

import pytest
from django.core.management import call_command
from django_scopes import scope

from campaigns.models import Campaign
from ideas.models import Comment, Idea, Media
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_genios_ideas_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    call_command("seed_demo")
    ing = Tenant.objects.get(slug="ing")
    with scope(tenant=ing):
        genios = Campaign.objects.get(slug="genios-del-ahorro")
        states = sorted(Idea.objects.filter(campaign=genios).values_list("state", flat=True))
        assert states == ["pending"] + ["published"] * 5
        assert Media.objects.filter(status=Media.Status.READY).count() == 3
        assert Comment.objects.count() == 1
        assert Idea.objects.get(state="pending").hold_reasons == ["link"]
