"""The demo's ideas: tips with and without images, one waiting for review."""

import pytest
from django_scopes import scope

from ideas.models import Comment, Idea, Media

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_genios_ideas_once(seeded_genios):
    genios = seeded_genios
    with scope(tenant=genios.tenant):
        states = sorted(Idea.objects.filter(campaign=genios).values_list("state", flat=True))
        assert states == ["pending"] + ["published"] * 5
        assert Media.objects.filter(status=Media.Status.READY).count() == 3
        assert Comment.objects.count() == 1
        assert Idea.objects.get(state="pending").hold_reasons == ["link"]
