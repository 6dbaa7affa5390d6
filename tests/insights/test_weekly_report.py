"""The weekly report to the brand's team: the week's figures (hand-counted),
top ideas, the jury's pick and the moderators' queue, in each member's
language; sent once per tenant and week however often the beat runs; an
unsubscribe honoured."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django_scopes import scope

from accounts import services as account_services
from accounts.models import Membership
from config.celery import app
from ideas import services as idea_services
from insights import services, tasks
from insights.models import WeeklyReport
from notifications import services as notification_services
from notifications.models import EmailDelivery, Notification
from voting import services as voting_services

from ..campaigns.conftest import this_monday

# The rewards tests' challenge and people (over this folder's dashboard fixtures).
from .exports_support import *  # noqa: F403

MADRID = ZoneInfo("Europe/Madrid")


def monday_after(moment: dt.datetime, hour: int = 8) -> dt.datetime:
    local = moment.astimezone(MADRID)
    day = local.date() + dt.timedelta(days=7 - local.weekday())
    return dt.datetime.combine(day, dt.time(hour), tzinfo=MADRID)


@pytest.fixture
def team(ing, owner, make_user):
    """ING's console team, each in their language (the owner in ING's, Spanish),
    and a juror (not on it)."""
    people = {Membership.Role.OWNER: owner}
    for role, email, language in [
        (Membership.Role.ADMIN, "alain@ing.example", "fr"),
        (Membership.Role.MODERATOR, "mia@ing.example", "es"),
        (Membership.Role.JUROR, "juan@ing.example", "es"),
    ]:
        user = make_user(email, language=language, display_name=email.split("@")[0].title())
        with scope(tenant=ing):
            account_services.membership_grant(tenant=ing, user=user, role=role)
        people[role] = user
    return people


@pytest.fixture
def busy_week(genios, make_idea, make_person, make_user):
    """This week in Genios del Ahorro: 2 ideas (by 2 authors), 3 counted votes
    (by Ana and Ben), 1 comment, 1 vote held (a brand-new account): 5 new
    participants in all."""
    ana, ben = make_person("Ana"), make_person("Ben")
    plain = make_idea(title="Redondea tus compras")
    other = make_idea(title="Hucha digital")
    newcomer = make_user("farm1@mailinator.com")  # a throwaway address, a fresh account
    with scope(tenant=genios.tenant):
        account_services.consent_accept(tenant=genios.tenant, user=newcomer, version=1)
        voting_services.vote_cast(idea=plain, voter=ana)
        voting_services.vote_cast(idea=plain, voter=ben)
        voting_services.vote_cast(idea=other, voter=ana)
        held = voting_services.vote_cast(idea=other, voter=newcomer, user_agent="Bot")
        idea_services.comment_post(idea=plain, author=ben, body="¡Genial!")
    assert held.status == "quarantined"
    return plain, other


def send(tenant, now, django_capture_on_commit_callbacks):
    """The report sent at `now`, its e-mails delivered: {address: message}."""
    with scope(tenant=tenant), django_capture_on_commit_callbacks(execute=False):
        report = services.weekly_report_send(tenant=tenant, now=now)
        for delivery in EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING):
            notification_services.email_deliver(delivery_id=delivery.pk)
    return report, {message.to[0]: message for message in mail.outbox}


def test_the_report_counts_the_week_in_each_members_language(
    ing, team, busy_week, django_capture_on_commit_callbacks
):
    report, messages = send(ing, monday_after(this_monday()), django_capture_on_commit_callbacks)
    figures = report.figures
    assert figures["week_start"] == this_monday().date().isoformat()
    assert (figures["ideas"], figures["votes"], figures["comments"]) == (2, 3, 1)
    assert figures["participants"] == 5
    assert [(i["title"], i["votes"]) for i in figures["top_ideas"]] == [
        ("Redondea tus compras", 2),
        ("Hucha digital", 1),
    ]
    assert figures["queue"] == {"ideas": 0, "comments": 0, "votes": 1}
    assert figures["jury_picks"] == []
    # The console's team, not the juror.
    assert set(messages) == {"owner@ing.example", "alain@ing.example", "mia@ing.example"}

    french = messages["alain@ing.example"]
    assert french.subject.startswith("Votre semaine sur ING Direct : du ")
    text = french.body
    assert "Nouvelles idées : 2" in text
    assert "Votes : 3" in text
    assert "Nouveaux participants : 5" in text
    assert "- Redondea tus compras (Genios del Ahorro) : 2 votes" in text
    assert "Le jury n'a rien décidé cette semaine." in text
    assert "votes en attente d'examen 1" in text
    html = french.alternatives[0][0]
    assert "Les idées les plus votées de la semaine" in html

    spanish = messages["owner@ing.example"]
    assert spanish.subject.startswith("Tu semana en ING Direct: del ")
    assert "Ideas nuevas: 2" in spanish.body
    assert "Participantes nuevos: 5" in spanish.body
    assert "- Hucha digital (Genios del Ahorro): 1 voto\n" in spanish.body
    assert "Las ideas más votadas de la semana" in spanish.alternatives[0][0]
    assert spanish.extra_headers["List-Unsubscribe"]  # one click, as every optional e-mail


def test_the_jurys_pick_of_the_week(genios, team, announced, django_capture_on_commit_callbacks):
    _round, _winner, _other, decided_at = announced
    report, messages = send(
        genios.tenant, monday_after(decided_at), django_capture_on_commit_callbacks
    )
    assert report.figures["jury_picks"] == [
        {
            "challenge": "Genios del Ahorro",
            "round": 1,
            "grand": False,
            "weekly": True,
            "ideas": ["Idea A"],
        }
    ]
    assert "- Genios del Ahorro, semana 1: Idea A" in messages["owner@ing.example"].body
    assert "- Genios del Ahorro, semaine 1 : Idea A" in messages["alain@ing.example"].body


def test_the_beat_sends_one_report_per_week_however_often_it_runs(ing, team, busy_week):
    entry = app.conf.beat_schedule["insights-weekly-report"]
    assert entry["task"] == "insights.tasks.weekly_reports_send"
    monday = monday_after(this_monday(), hour=7)
    with time_machine.travel(monday - dt.timedelta(minutes=5), tick=False):
        assert tasks.weekly_reports_send() == 0  # Monday, before 07:00 in Madrid
    with time_machine.travel(monday + dt.timedelta(minutes=20), tick=False):
        assert tasks.weekly_reports_send() == 1
        assert tasks.weekly_reports_send() == 0
    with time_machine.travel(monday + dt.timedelta(days=2), tick=False):
        assert tasks.weekly_reports_send() == 0  # later that week: still sent once
    with scope(tenant=ing):
        assert WeeklyReport.objects.count() == 1
        assert Notification.objects.filter(event="insights.weekly_report").count() == 3
        assert (
            EmailDelivery.objects.filter(notification__event="insights.weekly_report").count() == 3
        )
    with time_machine.travel(monday + dt.timedelta(days=7), tick=False):
        assert tasks.weekly_reports_send() == 1  # the next week's
    with scope(tenant=ing):
        assert WeeklyReport.objects.count() == 2


def test_a_second_send_of_the_same_week_sends_nothing(ing, team, busy_week):
    now = monday_after(this_monday())
    with scope(tenant=ing):
        assert services.weekly_report_send(tenant=ing, now=now) is not None
        assert services.weekly_report_send(tenant=ing, now=now + dt.timedelta(hours=3)) is None
        assert Notification.objects.filter(event="insights.weekly_report").count() == 3


def test_unsubscribing_stops_the_reports_email(
    ing, team, busy_week, client_for, django_capture_on_commit_callbacks
):
    now = monday_after(this_monday())
    _report, messages = send(ing, now, django_capture_on_commit_callbacks)
    link = messages["mia@ing.example"].extra_headers["List-Unsubscribe"].strip("<>")
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client_for(ing).post(path).status_code == 200
    mail.outbox.clear()
    _report, messages = send(ing, now + dt.timedelta(days=7), django_capture_on_commit_callbacks)
    assert set(messages) == {"owner@ing.example", "alain@ing.example"}
    with scope(tenant=ing):
        # The bell still tells her; only the e-mail stopped.
        notices = Notification.objects.filter(recipient=team["moderator"])
        assert notices.filter(event="insights.weekly_report").count() == 2
