"""Visits counted without trackers: no address and no cookie kept, bots left
out, a visitor key that changes with the day, only the public pages."""

import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from core.ratelimit import client as redis_client
from insights import services, visits
from insights.models import DailyFigures, PageView, Source
from tests.conftest import host_of
from tests.insights.conftest import DESKTOP, GOOGLEBOT, IPHONE

pytestmark = pytest.mark.django_db

CHALLENGE = "/challenges/genios-del-ahorro/"
ADDRESS = "203.0.113.77"


def rows(tenant) -> list[PageView]:
    services.visits_drain()
    with scope(tenant=tenant):
        return list(PageView.objects.filter(tenant=tenant).order_by("viewed_at", "pk"))


def values_of(row: Model) -> str:
    return " ".join(str(getattr(row, field.attname)) for field in row._meta.concrete_fields)


def test_no_visitor_row_holds_an_address_or_a_cookie_value(ing, genios, browser, make_voter):
    anonymous = browser(ADDRESS, IPHONE)
    response = anonymous.get(f"{CHALLENGE}?src=whatsapp")
    assert response.status_code == 200
    # Counting sets nothing: the only cookie is the CSRF token the layout's forms need.
    assert set(response.cookies) <= {"csrftoken"}
    assert "sessionid" not in anonymous.cookies
    person = make_voter(email="seen@example.com")
    signed_in = browser(ADDRESS, DESKTOP, user=person)
    assert signed_in.get(CHALLENGE).status_code == 200
    queued = [raw.decode() for raw in redis_client().lrange(visits.QUEUE_KEY, 0, -1)]
    assert len(queued) == 2 and not any(ADDRESS in event for event in queued)

    cookies = {m.value for c in (anonymous, signed_in) for m in c.cookies.values()}
    assert signed_in.session.session_key in cookies
    saved = rows(ing)
    assert len(saved) == 2
    for row in saved:
        text = values_of(row)
        assert ADDRESS not in text and "203.0.113" not in text
        assert not any(value in text for value in cookies)
    assert [row.user_id for row in saved] == [None, person.pk]
    assert saved[0].visitor_key != saved[1].visitor_key  # another browser, another key
    assert json.loads(queued[0])["v"] == saved[0].visitor_key


@pytest.mark.parametrize(
    "agent",
    [
        GOOGLEBOT,
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_not_counted(ing, genios, browser, agent):
    assert browser("198.51.100.1", agent).get(CHALLENGE).status_code == 200
    assert rows(ing) == []


def test_the_same_person_gets_another_key_each_day_and_the_salt_goes(ing, genios, browser):
    madrid = ZoneInfo("Europe/Madrid")
    monday = dt.datetime(2027, 3, 1, 23, 30, tzinfo=madrid)
    with time_machine.travel(monday, tick=False) as clock:
        assert browser(ADDRESS, IPHONE).get(CHALLENGE).status_code == 200
        assert browser(ADDRESS, IPHONE).get(CHALLENGE).status_code == 200
        clock.move_to(monday + dt.timedelta(hours=1))  # 00:30 on Tuesday in Madrid
        assert browser(ADDRESS, IPHONE).get(CHALLENGE).status_code == 200
        saved = rows(ing)
        salts = [
            visits.SALT_KEY.format(date=day) for day in ("2027-03-01", "2027-03-02")
        ]  # fmt: skip
        first_salt, second_salt = (redis_client().get(key) for key in salts)
    assert [row.day.isoformat() for row in saved] == ["2027-03-01", "2027-03-01", "2027-03-02"]
    assert saved[0].visitor_key == saved[1].visitor_key  # the same day: one visitor
    assert saved[2].visitor_key != saved[0].visitor_key  # the next day: nothing in common
    assert first_salt and second_salt and first_salt != second_salt
    # Redis deletes Monday's salt once no time zone can still be on Monday.
    deleted_at = dt.datetime(2027, 3, 4, tzinfo=dt.UTC).timestamp()
    assert abs(redis_client().ttl(salts[0]) - (deleted_at - time.time())) < 60


def test_only_the_public_pages_count(ing, genios, idea, browser, owner, client_for):
    visitor = browser(ADDRESS, DESKTOP)
    for path in ("/", CHALLENGE, f"{CHALLENGE}ideas/", f"/ideas/{idea.public_id}/"):
        assert visitor.get(path).status_code == 200
    assert visitor.get(f"{CHALLENGE}ideas/", HTTP_HX_REQUEST="true").status_code == 200
    assert visitor.get(f"{CHALLENGE}ideas/", HTTP_SEC_PURPOSE="prefetch").status_code == 200
    assert visitor.get("/ideas/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert visitor.get("/robots.txt").status_code == 200
    assert visitor.get(f"/api/v1/challenges/{genios.slug}/ideas").status_code == 200
    team = client_for(ing, owner, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=DESKTOP)
    assert team.get("/console/").status_code == 200
    assert [(row.page, row.campaign_id, row.idea_id) for row in rows(ing)] == [
        ("home", None, None),
        ("challenge", genios.pk, None),
        ("gallery", genios.pk, None),
        ("idea", genios.pk, idea.pk),
    ]


def test_another_tenants_visits_stay_out_of_the_figures(ing, decathlon, genios, browser):
    assert browser(ADDRESS, DESKTOP).get(CHALLENGE).status_code == 200
    elsewhere = Client(HTTP_HOST=host_of(decathlon), REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=DESKTOP)
    assert elsewhere.get("/").status_code == 200
    services.visits_drain()
    for tenant in (ing, decathlon):
        with scope(tenant=tenant):
            today = services.local_day(tenant, timezone.now())
            services.figures_refresh(tenant=tenant, day=today)
    with scope(tenant=ing):
        figures = DailyFigures.objects.filter(tenant=ing)
        assert set(figures.values_list("campaign_id", "visitors")) == {(genios.pk, 1), (None, 1)}
    with scope(tenant=decathlon):
        figures = DailyFigures.objects.filter(tenant=decathlon)
        assert list(figures.values_list("campaign_id", "visitors")) == [(None, 1)]


@pytest.mark.parametrize(
    ("src", "referrer", "source"),
    [
        ("facebook", "https://www.google.com/", Source.FACEBOOK),  # the share link wins
        ("", "", Source.DIRECT),
        ("", "www.google.es", Source.SEARCH),
        ("", "duckduckgo.com", Source.SEARCH),
        ("", "t.co", Source.X),
        ("", "l.facebook.com", Source.FACEBOOK),
        ("", "lm.facebook.com", Source.FACEBOOK),
        ("", "www.linkedin.com", Source.LINKEDIN),
        ("", "web.whatsapp.com", Source.WHATSAPP),
        ("", "l.instagram.com", Source.INSTAGRAM),
        ("", "mail.google.com", Source.EMAIL),
        ("", "www.ing.es", Source.BRAND),
        ("", "ahorro.ing.es", Source.BRAND),
        ("", "notgoogle.example", Source.OTHER),
        ("", "blog.example.org", Source.OTHER),
    ],
)
def test_referrers_are_grouped(src, referrer, source):
    assert services.source_of(src=src, referrer_host=referrer, brand_domains={"ing.es"}) == source


def test_a_queued_view_folded_twice_is_counted_once(ing, genios, browser):
    assert browser(ADDRESS, DESKTOP).get(CHALLENGE).status_code == 200
    raw = redis_client().lrange(visits.QUEUE_KEY, 0, -1)
    services.visits_drain()
    redis_client().rpush(visits.QUEUE_KEY, *raw)  # a drainer died before trimming
    assert len(rows(ing)) == 1
    assert redis_client().llen(visits.QUEUE_KEY) == 0


@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [
        ("en", "How visits are counted", "Your IP address is never stored"),
        ("fr", "Comment les visites sont comptées", "Votre adresse IP n'est jamais enregistrée"),
        ("es", "Cómo se cuentan las visitas", "Tu dirección IP nunca se guarda"),
    ],
)
def test_the_privacy_notice_says_what_is_counted(ing, browser, language, heading, words):
    reader = browser(ADDRESS, DESKTOP)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # as the language switcher does
    text = reader.get("/terms/").content.decode()
    assert heading in text and words in text
