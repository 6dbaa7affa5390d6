"""The media task on a real Celery worker (real Redis broker): queued after the
submission commits, it renders the image and the idea is published."""

import pytest
from django_scopes import scope

from ideas import services, tasks
from ideas.models import Idea, Media
from tests.ideas.conftest import image_bytes, upload
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_renders_the_image_and_the_idea_is_published(ing, submit, celery_worker):
    idea = submit(image=upload(image_bytes(size=(900, 600))))
    assert idea.state == Idea.State.PENDING

    def published():
        with scope(tenant=ing):
            return Idea.objects.get(pk=idea.pk).state == Idea.State.PUBLISHED

    assert wait_for(published)
    with scope(tenant=ing):
        assert Media.objects.get(idea=idea).status == Media.Status.READY


def test_the_trending_beat_entry_refreshes_every_tenant(ing, submit, celery_worker):
    idea = submit()
    with scope(tenant=ing):
        Idea.objects.filter(pk=idea.pk).update(trending_score=0)
    assert tasks.trending_refresh_all() >= 1

    def refreshed():
        with scope(tenant=ing):
            return Idea.objects.get(pk=idea.pk).trending_score > 0

    assert wait_for(refreshed, timeout=30)


def test_giving_up_tells_the_author(ing, pat, submit):
    idea = submit(image=upload(image_bytes()))
    with scope(tenant=ing):
        row = Media.objects.get(idea=idea)
        assert services.media_give_up(media_id=row.pk, reason="Took too long.") == "failed"
        idea.refresh_from_db()
        row.refresh_from_db()
    assert idea.state == Idea.State.DRAFT and row.failure == "Took too long."
