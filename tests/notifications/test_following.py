"""Following a challenge or an idea: its events reach its followers."""

import pytest
from django_scopes import scope

from notifications import services
from notifications.models import Follow, Notification

pytestmark = pytest.mark.django_db

RESULTS = {"campaign_title": "Genios del Ahorro", "round_name": "Semana 2", "url": "/c/genios/"}


def test_follow_is_idempotent_and_unfollow_undoes_it(ing, participant):
    with scope(tenant=ing):
        services.follow(user=participant, target_type="campaign", target_id="genios")
        services.follow(user=participant, target_type="campaign", target_id="genios")
        assert Follow.objects.count() == 1
        assert list(services.followers_of("campaign", "genios")) == [participant]
        assert services.unfollow(user=participant, target_type="campaign", target_id="genios")
        assert not services.unfollow(user=participant, target_type="campaign", target_id="genios")
        assert list(services.followers_of("campaign", "genios")) == []


def test_followers_get_the_event_except_the_excluded(ing, participant, make_user):
    marc, sam = make_user("marc@example.com"), make_user("sam@example.com")
    with scope(tenant=ing):
        for person in (participant, marc, sam):
            services.follow(user=person, target_type="campaign", target_id="genios")
        told = services.notify_followers(
            target_type="campaign",
            target_id="genios",
            event="round.results",
            context=RESULTS,
            exclude=[sam],
            dedupe_key="round.results:genios:2",
        )
        assert {n.recipient for n in told} == {participant, marc}
        # A second call (a retried task) tells nobody twice.
        services.notify_followers(
            target_type="campaign",
            target_id="genios",
            event="round.results",
            context=RESULTS,
            dedupe_key="round.results:genios:2",
        )
        assert Notification.objects.filter(recipient=sam).count() == 1
        assert Notification.objects.count() == 3


def test_follows_are_per_tenant(ing, decathlon, participant):
    with scope(tenant=ing):
        services.follow(user=participant, target_type="idea", target_id="42")
    with scope(tenant=decathlon):
        assert list(services.followers_of("idea", "42")) == []
        assert (
            services.notify_followers(
                target_type="idea", target_id="42", event="round.results", context=RESULTS
            )
            == []
        )
