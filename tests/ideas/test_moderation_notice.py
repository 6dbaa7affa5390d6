"""The notice "contributions wait for moderation": the brand's owners, admins
and moderators hear it once a day (the brand's day), only in their own tenant,
only when something waits for a decision, each in their own language."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership
from campaigns import services as campaign_services
from ideas import services
from notifications import services as notification_services
from notifications.models import Notification
from tests.campaigns.conftest import this_monday

pytestmark = pytest.mark.django_db

EVENT = "moderation.queue_waiting"
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.fixture
def team(owner, admin, moderator, juror):
    return {"owner": owner, "admin": admin, "moderator": moderator, "juror": juror}


@pytest.fixture
def reviewed(ing, make_campaign, team):
    """A challenge under pre-moderation: every idea waits for a moderator."""
    return make_campaign(ing, moderation="pre", slug="ideas-revisadas", title="Ideas revisadas")


def notices(tenant, user=None) -> list[Notification]:
    with scope(tenant=tenant):
        rows = Notification.objects.filter(tenant=tenant, event=EVENT)
        if user is not None:
            rows = rows.filter(recipient=user)
        return list(rows.order_by("pk"))


def told(tenant) -> set[str]:
    return {n.recipient.email for n in notices(tenant)}


def deliver(notification) -> None:
    with scope(tenant=notification.tenant):
        assert notification_services.email_deliver(delivery_id=notification.email.pk) == "sent"


def test_a_waiting_idea_tells_the_owners_admins_and_moderators_not_the_jurors(
    ing, reviewed, submit, team
):
    idea = submit(campaign=reviewed)
    assert idea.state == "pending"
    assert told(ing) == {"owner@ing.example", "admin@ing.example", "moderator@ing.example"}
    for notice in notices(ing):
        assert notice.context == {"waiting_count": 1, "url": "/console/moderation/"}
        assert notice.in_app


def test_the_team_hears_once_a_day_however_many_ideas_wait(ing, reviewed, submit, sam, team):
    wednesday = dt.datetime.combine(
        this_monday().date() + dt.timedelta(days=9), dt.time(10, 0), tzinfo=MADRID
    )
    with time_machine.travel(wednesday, tick=False):
        submit(campaign=reviewed)
        submit(campaign=reviewed, author=sam, title="Hucha digital")
    assert len(notices(ing, team["moderator"])) == 1
    assert len(mail.outbox) == 0  # the e-mails leave after commit, one per notice
    with time_machine.travel(wednesday + dt.timedelta(days=1), tick=False):
        submit(campaign=reviewed, title="Ahorro semanal")
    later = notices(ing, team["moderator"])
    assert len(later) == 2
    assert later[1].context["waiting_count"] == 3


def test_the_day_is_the_brands_day(ing, reviewed, submit, sam, team):
    """ING is in Madrid: 23:30 and 00:30 there are two days, though the same day
    in UTC; 00:30 and 01:30 there are one day, though two in UTC (in winter)."""
    thursday = this_monday().date() + dt.timedelta(days=10)
    before_midnight = dt.datetime.combine(
        thursday - dt.timedelta(days=1), dt.time(23, 30), tzinfo=MADRID
    )
    with time_machine.travel(before_midnight, tick=False):
        submit(campaign=reviewed)
    with time_machine.travel(before_midnight + dt.timedelta(hours=1), tick=False):
        submit(campaign=reviewed, author=sam, title="Hucha digital")
    assert len(notices(ing, team["moderator"])) == 2
    with time_machine.travel(before_midnight + dt.timedelta(hours=2), tick=False):
        submit(campaign=reviewed, title="Ahorro semanal")
    assert len(notices(ing, team["moderator"])) == 2


def test_nothing_waiting_tells_nobody(ing, genios, submit, team):
    idea = submit()  # post-moderation: published at once
    assert idea.state == "published"
    assert notices(ing) == []


def test_an_idea_whose_media_is_processing_waits_for_its_media_first(ing, reviewed, submit, team):
    from tests.ideas.conftest import image_bytes, upload

    idea = submit(campaign=reviewed, image=upload(image_bytes()))
    assert "media" in idea.hold_reasons
    assert notices(ing) == []


def test_a_comment_held_for_review_tells_the_team(ing, genios, submit, sam, owner, team):
    idea = submit()
    with scope(tenant=ing):
        campaign_services.campaign_update(campaign=genios, actor=owner, moderation="pre")
        idea.refresh_from_db()
        comment = services.comment_post(idea=idea, author=sam, body="¡Buena idea!")
    assert comment.state == "pending"
    assert [n.context["waiting_count"] for n in notices(ing, team["moderator"])] == [1]


def test_an_idea_hidden_by_flags_counts_as_waiting(ing, genios, submit, make_user, consent, team):
    idea = submit()
    for n in range(genios.flags_to_hide):
        reporter = consent(make_user(f"reporter{n}@example.com"), ing)
        with scope(tenant=ing):
            services.idea_flag(idea=idea, reporter=reporter, reason="spam", note="")
    with scope(tenant=ing):
        idea.refresh_from_db()
    assert idea.state == "hidden"
    [notice] = notices(ing, team["moderator"])
    assert notice.context["waiting_count"] == 1  # the hidden idea waits for a decision


def test_only_the_tenants_own_team_hears(ing, decathlon, reviewed, submit, make_member, team):
    theirs = make_member(decathlon, Membership.Role.MODERATOR, "moderator@decathlon.example")
    submit(campaign=reviewed)
    assert "moderator@decathlon.example" not in told(ing)
    assert notices(decathlon) == []
    # Nor does a moderator of another brand who takes part in this one.
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=theirs, version=1, display_name="Marta")
    submit(campaign=reviewed, author=theirs, title="Hucha digital")
    assert notices(ing, theirs) == []
    assert notices(decathlon) == []


def test_the_email_speaks_each_moderators_language(ing, reviewed, submit, team, make_member):
    french = make_member(ing, Membership.Role.MODERATOR, "claire@ing.example")
    french.language = "fr"
    french.save(update_fields=["language"])
    submit(campaign=reviewed)
    deliver(notices(ing, french)[0])
    deliver(notices(ing, team["moderator"])[0])
    fr, es = mail.outbox
    assert fr.to == ["claire@ing.example"]
    assert fr.subject == "Une contribution attend la modération"
    assert "Les examiner rapidement garde le défi vivant." in fr.body
    assert "https://ing.localhost/console/moderation/" in fr.body
    assert fr.extra_headers["Content-Language"] == "fr"
    # No language of their own: ING's, Spanish.
    assert es.to == ["moderator@ing.example"]
    assert es.subject == "Una contribución espera moderación"
    assert "Revisarlas pronto mantiene vivo el reto." in es.body
    assert "Abrir la cola" in es.alternatives[0][0]
    assert es.from_email == "ING Direct via Ruche <no-reply@localhost>"


def test_a_moderator_who_chose_the_daily_digest_gets_it_there(ing, reviewed, submit, team):
    moderator = team["moderator"]
    with scope(tenant=ing):
        notification_services.preference_set(
            tenant=ing, user=moderator, event=EVENT, delivery="daily"
        )
    submit(campaign=reviewed)
    [notice] = notices(ing, moderator)
    with scope(tenant=ing):
        assert not hasattr(notice, "email") or notice.email is None
    tomorrow = dt.datetime.now(tz=MADRID) + dt.timedelta(days=1)
    built = notification_services.digests_build(now=tomorrow)
    [digest] = [d for d in built if d.recipient_id == moderator.pk]
    with scope(tenant=ing):
        assert notification_services.email_deliver(delivery_id=digest.email.pk) == "sent"
    [message] = mail.outbox
    assert message.to == ["moderator@ing.example"]
    assert "Una contribución espera moderación" in message.body
