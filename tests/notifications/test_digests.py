"""Digests across a moved clock: the builder is given `now`, the notifications
are made at the real time. No empty digest, no event lost, none repeated, never
two digests for one period."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from config.celery import app
from notifications import services
from notifications.models import DeliveryMode, Digest, EmailDelivery, Notification

pytestmark = pytest.mark.django_db

COMMENT = {"idea_title": "Redondea", "author_name": "Marc D.", "excerpt": "¡Bien!", "url": "/i/1/"}
DAY = timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now()


def _comment(tenant, user, n=1):
    # comment.on_my_idea defaults to the daily digest.
    return [
        services.notify(
            recipient=user,
            event="comment.on_my_idea",
            tenant=tenant,
            context={**COMMENT, "excerpt": f"comment {i}"},
        )
        for i in range(n)
    ]


def _build(at):
    return services.digests_build(now=at)


def _items(tenant, digest):
    with scope(tenant=tenant):
        return set(digest.notifications.values_list("pk", flat=True))


def test_nothing_is_built_before_the_period_ends(ing, participant, now):
    _comment(ing, participant, 2)
    assert _build(now) == []
    with scope(tenant=ing):
        assert Digest.objects.count() == 0


def test_a_day_s_events_arrive_in_one_digest_once(ing, participant, now):
    told = _comment(ing, participant, 3)
    [digest] = _build(now + DAY)
    assert digest.kind == Digest.Kind.DAILY
    assert _items(ing, digest) == {n.pk for n in told}
    # Running again, later the same day, or twice at once, builds nothing more.
    assert _build(now + DAY) == []
    assert _build(now + DAY + timedelta(hours=3)) == []
    with scope(tenant=ing):
        assert Digest.objects.count() == 1
        assert EmailDelivery.objects.filter(digest=digest).count() == 1


def test_the_period_is_the_tenants_day(ing, participant, now):
    _comment(ing, participant)
    [digest] = _build(now + DAY)
    madrid = ZoneInfo("Europe/Madrid")
    start = digest.period_start.astimezone(madrid)
    assert (start.hour, start.minute) == (0, 0)
    assert digest.period_end - digest.period_start in (
        DAY,
        DAY + timedelta(hours=1),
        DAY - timedelta(hours=1),
    )
    assert digest.period_start <= timezone.now() < digest.period_end


def test_events_that_miss_a_digest_go_to_the_next_one(ing, participant, now):
    [first] = _comment(ing, participant)
    [digest_1] = _build(now + DAY)
    [late] = _comment(ing, participant)  # after this period's digest was built
    assert _build(now + DAY) == []
    [digest_2] = _build(now + 2 * DAY)
    assert _items(ing, digest_1) == {first.pk}
    assert _items(ing, digest_2) == {late.pk}
    assert digest_2.period_start == digest_1.period_end


def test_a_missed_run_loses_nothing(ing, participant, now):
    told = _comment(ing, participant, 2)
    # Beat was down for five days: the next run gathers everything waiting.
    [digest] = _build(now + 5 * DAY)
    assert _items(ing, digest) == {n.pk for n in told}
    assert _build(now + 6 * DAY) == []


def test_weekly_digests_follow_the_week(ing, participant, now):
    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=participant, event="comment.on_my_idea", delivery=DeliveryMode.WEEKLY
        )
    told = _comment(ing, participant, 2)
    assert _build(now) == []
    # A day at a time for two weeks: one digest, once the week has ended.
    [digest] = [d for day in range(1, 15) for d in _build(now + day * DAY)]
    assert digest.kind == Digest.Kind.WEEKLY
    assert digest.period_start.astimezone(ZoneInfo("Europe/Madrid")).weekday() == 0
    assert digest.period_end - digest.period_start >= timedelta(days=7) - timedelta(hours=1)
    assert digest.period_start <= timezone.now() < digest.period_end
    assert _items(ing, digest) == {n.pk for n in told}


def test_digests_are_grouped_by_tenant(ing, decathlon, participant, now):
    in_ing = _comment(ing, participant, 2)
    in_decathlon = _comment(decathlon, participant, 1)
    digests = _build(now + DAY)
    by_tenant = {d.tenant_id: d for d in digests}
    assert set(by_tenant) == {ing.pk, decathlon.pk}
    assert _items(ing, by_tenant[ing.pk]) == {n.pk for n in in_ing}
    assert _items(decathlon, by_tenant[decathlon.pk]) == {n.pk for n in in_decathlon}


def test_no_digest_for_people_with_nothing_waiting(ing, participant, make_user, now):
    services.notify(
        recipient=participant,
        event="idea.approved",  # immediate: never in a digest
        tenant=ing,
        context={"idea_title": "X"},
    )
    quiet = make_user("quiet@example.com")
    _comment(ing, quiet)
    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=quiet, event="comment.on_my_idea", delivery=DeliveryMode.OFF
        )
    assert _build(now + DAY) == []


def test_many_runs_over_many_days_lose_and_repeat_nothing(
    ing, decathlon, participant, make_user, now
):
    marc = make_user("marc@example.com", language="fr")
    told = []
    for day in range(10):
        for person, tenant in ((participant, ing), (marc, ing), (marc, decathlon)):
            told += _comment(tenant, person, day % 3)
        # The builder runs several times per "day" on the moved clock.
        for hour in (1, 1, 13):
            _build(now + day * DAY + timedelta(hours=hour))
    _build(now + 12 * DAY)
    seen = []
    for tenant in (ing, decathlon):
        with scope(tenant=tenant):
            for digest in Digest.objects.all():
                items = list(digest.notifications.values_list("pk", flat=True))
                assert items, "an empty digest"
                seen += items
            keys = list(Digest.objects.values_list("recipient", "kind", "period_start"))
            assert len(keys) == len(set(keys))
    assert sorted(seen) == sorted(n.pk for n in told)


def test_the_digest_email_lists_everything_in_the_recipients_language(decathlon, participant, now):
    _comment(decathlon, participant, 2)
    [digest] = _build(now + DAY)
    with scope(tenant=decathlon):
        status = services.email_deliver(delivery_id=digest.email.pk)
        assert services.email_deliver(delivery_id=digest.email.pk) == "not_claimed"
    assert status == "sent"
    [message] = mail.outbox
    assert message.subject == "Votre résumé du jour de Decathlon"
    assert message.from_email == "Decathlon via Ruche <no-reply@localhost>"
    assert "Voici ce qui s'est passé : 2 notifications." in message.body
    assert message.body.count("Marc D. a commenté votre idée « Redondea »") == 2
    assert "https://decathlon.localhost/i/1/" in message.body
    html = message.alternatives[0][0]
    assert html.count("Marc D. a commenté votre idée « Redondea »") == 2
    assert "List-Unsubscribe" in message.extra_headers


def test_switching_to_weekly_moves_what_waits(ing, participant, now):
    [waiting] = _comment(ing, participant)
    with scope(tenant=ing):
        services.preference_set(
            tenant=ing, user=participant, event="comment.on_my_idea", delivery=DeliveryMode.WEEKLY
        )
        assert Notification.objects.get(pk=waiting.pk).digest_kind == "weekly"
    [digest] = [d for day in range(1, 15) for d in _build(now + day * DAY)]
    assert digest.kind == Digest.Kind.WEEKLY
    assert _items(ing, digest) == {waiting.pk}


def test_the_beat_schedule_runs_the_builder_every_hour():
    entry = app.conf.beat_schedule["notifications-digests"]
    assert entry["task"] == "notifications.tasks.digests_send"
    assert app.tasks[entry["task"]]  # registered


def test_digest_period_is_the_last_complete_day_and_week():
    madrid = ZoneInfo("Europe/Madrid")
    at = datetime(2026, 3, 11, 0, 30, tzinfo=madrid)  # a Wednesday, just after midnight
    start, end = services.digest_period("daily", at, madrid)
    assert (start, end) == (
        datetime(2026, 3, 10, tzinfo=madrid),
        datetime(2026, 3, 11, tzinfo=madrid),
    )
    start, end = services.digest_period("weekly", at, madrid)
    assert (start, end) == (
        datetime(2026, 3, 2, tzinfo=madrid),
        datetime(2026, 3, 9, tzinfo=madrid),
    )
    # Across the change to summer time the day is 23 hours long.
    start, end = services.digest_period("daily", datetime(2026, 3, 30, 12, tzinfo=madrid), madrid)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
