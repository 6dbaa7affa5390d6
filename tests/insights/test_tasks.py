"""The beat task, on a real Celery worker and the real Redis queue."""

from django.utils import timezone
from django_scopes import scope

from insights import services, tasks
from insights.models import DailyFigures
from tests.insights.conftest import DESKTOP, IPHONE

CHALLENGE = "/challenges/genios-del-ahorro/"


def test_the_beat_task_folds_views_into_todays_figures(ing, genios, browser, drain):
    assert browser("192.0.2.1", IPHONE).get(f"{CHALLENGE}?src=x").status_code == 200
    assert browser("192.0.2.2", DESKTOP).get(CHALLENGE).status_code == 200
    assert browser("192.0.2.2", DESKTOP).get(f"{CHALLENGE}ideas/").status_code == 200
    tasks.figures_fold.delay()
    drain()  # the fold, which queues the rebuilds
    drain()  # the rebuilds
    tasks.figures_fold.delay()  # a second run changes nothing
    drain()
    drain()
    with scope(tenant=ing):
        row = DailyFigures.objects.get(tenant=ing, campaign=genios)
        assert (row.visitors, row.page_views, row.shares) == (2, 3, 1)
        assert row.day == services.local_day(ing, timezone.now())
        assert DailyFigures.objects.filter(tenant=ing).count() == 2  # the challenge, the brand
