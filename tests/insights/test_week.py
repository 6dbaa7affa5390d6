"""A week of "Genios del Ahorro", lived through real requests and the services,
then folded as the beat task does; every expected figure is counted by hand
from the story below (Madrid days, Monday D0 to Sunday D6, and D7 the next
Monday, in round 2).

D-1  author, V1 and V2 accept ING's terms (3 sign-ups, 3 consents: the brand's,
     not the challenge's — none of them saw it that day).
D0   A (iPhone, 10.0.0.1) arrives from a Facebook share link on the challenge,
     opens the gallery from it; a crawler reads the challenge; B (desktop,
     10.0.0.2) arrives from Google. A signs in as P1 in the same browser, views
     the challenge, accepts the terms and submits I1.
D1   V1 (Firefox, 10.0.0.3), signed in, arrives on I1 from X (t.co) and votes
     for it; A comes back, signed out, typing the address; V2 (Android,
     10.0.0.4), signed in, arrives on I1 from a WhatsApp share link, votes for it
     and comments on it.
D2   nothing.
D3   P1 (the iPhone again) arrives from LinkedIn on the challenge and votes for
     I2, which the author submitted that day without visiting any page.
D4-6 nothing.
D7   V1, signed in, opens the challenge by its address (round 2: came back).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scope

from accounts import services as account_services
from ideas import services as idea_services
from insights import selectors
from tests.insights.conftest import ANDROID, DESKTOP, FIREFOX, GOOGLEBOT, IPHONE

MADRID = ZoneInfo("Europe/Madrid")
D0 = dt.date(2027, 3, 1)  # a Monday
CHALLENGE = "/challenges/genios-del-ahorro/"
SITE = "http://ing.localhost"

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(D0 + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=MADRID)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


@pytest.fixture
def week(ing, make_campaign, make_voter, browser, cast, fold):
    """The story of the module's docstring; returns the challenge and its ideas."""
    with time_machine.travel(at(-1, 12), tick=True) as clock:
        author = make_voter(email="author@example.com")
        v1 = make_voter(email="v1@example.com")
        v2 = make_voter(email="v2@example.com")

        clock.move_to(at(0, 0, 30))
        genios = make_campaign(starts_at=at(0, 0))

        clock.move_to(at(0, 10))
        a = browser("10.0.0.1", IPHONE)
        assert a.get(f"{CHALLENGE}?src=facebook").status_code == 200
        assert a.get(f"{CHALLENGE}ideas/", HTTP_REFERER=f"{SITE}{CHALLENGE}").status_code == 200
        assert browser("10.0.0.9", GOOGLEBOT).get(CHALLENGE).status_code == 200
        b = browser("10.0.0.2", DESKTOP)
        assert b.get(CHALLENGE, HTTP_REFERER="https://www.google.com/").status_code == 200
        p1 = account_services.user_create(email="p1@example.com", display_name="P1")
        a_signed_in = browser("10.0.0.1", IPHONE, user=p1)
        assert a_signed_in.get(CHALLENGE, HTTP_REFERER=f"{SITE}/").status_code == 200
        with scope(tenant=ing):
            account_services.consent_accept(tenant=ing, user=p1, version=1, display_name="P1")
            i1 = idea_services.idea_submit(
                campaign=genios, author=p1, title="Redondea", body="Cada compra se redondea."
            )

        clock.move_to(at(1, 11))
        first = browser("10.0.0.3", FIREFOX, user=v1)
        assert (
            first.get(f"/ideas/{i1.public_id}/", HTTP_REFERER="https://t.co/x1").status_code == 200
        )
        cast(i1, v1)
        assert browser("10.0.0.1", IPHONE).get(CHALLENGE).status_code == 200
        second = browser("10.0.0.4", ANDROID, user=v2)
        assert second.get(f"/ideas/{i1.public_id}/?src=whatsapp").status_code == 200
        cast(i1, v2)
        with scope(tenant=ing):
            idea_services.comment_post(idea=i1, author=v2, body="¡Muy buena!")

        clock.move_to(at(3, 18))
        with scope(tenant=ing):
            i2 = idea_services.idea_submit(
                campaign=genios, author=author, title="Congela", body="Congela el pan."
            )
        p1_again = browser("10.0.0.1", IPHONE, user=p1)
        linkedin = "https://www.linkedin.com/feed/"
        assert p1_again.get(CHALLENGE, HTTP_REFERER=linkedin).status_code == 200
        cast(i2, p1)

        clock.move_to(at(7, 9))
        assert browser("10.0.0.3", FIREFOX, user=v1).get(CHALLENGE).status_code == 200

        clock.move_to(at(7, 12))
        fold(ing, [day(n) for n in range(-1, 8)])
    return genios, i1, i2


COLUMNS = ("visitors", "signups", "consents", "ideas", "votes", "comments", "shares")
#             visitors signups consents ideas votes comments shares
CHALLENGE_WEEK = [
    (2, 1, 1, 1, 0, 0, 1),  # D0
    (3, 0, 0, 0, 2, 1, 1),  # D1
    (0, 0, 0, 0, 0, 0, 0),  # D2
    (1, 0, 0, 1, 1, 0, 0),  # D3
    (0, 0, 0, 0, 0, 0, 0),  # D4
    (0, 0, 0, 0, 0, 0, 0),  # D5
    (0, 0, 0, 0, 0, 0, 0),  # D6
]


def test_the_challenge_series_day_by_day_and_cumulative(week, ing):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        series = selectors.daily_series(campaign=genios, tenant=ing, start=day(0), end=day(6))
    assert [point["day"] for point in series] == [day(n) for n in range(7)]
    assert [tuple(point[c] for c in COLUMNS) for point in series] == CHALLENGE_WEEK
    assert [series[1]["page_views"], series[0]["page_views"]] == [3, 4]  # the gallery, P1 too
    assert {c: series[-1][f"cumulative_{c}"] for c in COLUMNS} == {
        "visitors": 6, "signups": 1, "consents": 1, "ideas": 2, "votes": 3,
        "comments": 1, "shares": 2,
    }  # fmt: skip


def test_the_brand_series_counts_what_no_challenge_brought(week, ing):
    """The three acceptances of D-1 are the brand's, before the range asked:
    cumulative figures start from the first day, not from `start`."""
    with scope(tenant=ing):
        series = selectors.daily_series(tenant=ing, start=day(0), end=day(1))
        before = selectors.daily_series(tenant=ing, start=day(-1), end=day(-1))
    assert [tuple(point[c] for c in COLUMNS) for point in series] == CHALLENGE_WEEK[:2]
    assert (before[0]["signups"], before[0]["consents"], before[0]["visitors"]) == (3, 3, 0)
    assert series[0]["cumulative_signups"] == 4 and series[1]["cumulative_consents"] == 4


def test_the_funnel_of_round_one(week, ing):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        round_one = genios.rounds.get(index=1)
        steps = selectors.funnel(campaign=genios, round=round_one)
    assert [(s["step"], s["count"]) for s in steps] == [
        ("visitors", 6), ("signed_in", 4), ("consented", 4), ("submitted", 2),
        ("voted", 3), ("came_back", 1),
    ]  # fmt: skip
    rates = [(s["rate_from_previous"], s["rate_from_first"]) for s in steps]
    assert rates == [
        (None, 1.0),
        (pytest.approx(4 / 6), pytest.approx(4 / 6)),
        (1.0, pytest.approx(4 / 6)),
        (0.5, pytest.approx(2 / 6)),
        (1.5, 0.5),  # voting needs no idea of one's own: steps are not subsets
        (pytest.approx(1 / 3), pytest.approx(1 / 6)),
    ]
    assert steps[5]["label"] == "Came back in a later round"


def test_the_funnel_of_the_whole_challenge_and_of_a_round_nobody_reached(week, ing):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        whole = selectors.funnel(campaign=genios)
        round_three = selectors.funnel(campaign=genios, round=genios.rounds.get(index=3))
    assert [s["count"] for s in whole] == [7, 4, 4, 2, 3, 1]
    assert [s["count"] for s in round_three] == [0, 0, 0, 0, 0, 0]
    assert [s["rate_from_previous"] for s in round_three] == [None] * 6
    assert round_three[0]["rate_from_first"] is None


def test_the_sources_of_the_challenge_and_of_an_idea(week, ing):
    genios, i1, i2 = week
    with scope(tenant=ing):
        challenge = selectors.sources(campaign=genios)
        first_idea = selectors.sources(campaign=genios, idea=i1)
        second_idea = selectors.sources(campaign=genios, idea=i2)
    rows = [(s["source"], s["visits"], s["signups"], s["votes"]) for s in challenge]
    assert rows == [
        ("direct", 2, 0, 0),  # A on D1, V1 on D7
        ("linkedin", 1, 0, 1),
        ("whatsapp", 1, 0, 1),
        ("x", 1, 0, 1),
        ("facebook", 1, 1, 0),  # P1 signed up in the browser a share link brought
        ("search", 1, 0, 0),
    ]
    assert challenge[4]["label"] == "Facebook" and challenge[5]["label"] == "Search engines"
    assert [(s["source"], s["visits"], s["votes"]) for s in first_idea] == [
        ("whatsapp", 1, 1),
        ("x", 1, 1),
    ]
    assert [(s["source"], s["visits"], s["votes"]) for s in second_idea] == [("linkedin", 0, 1)]


def test_the_audience(week, ing):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        audience = selectors.audience(campaign=genios)
    assert audience["visitors"] == {"new": 3, "returning": 2, "unknown": 2}
    assert audience["devices"] == {"phone": 4, "tablet": 0, "desktop": 3}
    assert sum(row["visitors"] for row in audience["languages"]) == 7
    assert audience["people"] == {"employees": 0, "customers": 4}


def test_round_boundaries_in_madrid_days(week, ing):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        rounds = selectors.round_boundaries(campaign=genios)
    assert [(r["number"], r["kind"], r["start_day"], r["end_day"]) for r in rounds] == [
        (1, "weekly", day(0), day(6)),
        (2, "weekly", day(7), day(13)),
        (3, "weekly", day(14), day(20)),
        (4, "weekly", day(21), day(27)),
        (5, "grand", day(0), day(27)),
    ]
    assert rounds[0]["name"] == "Round 1" and rounds[-1]["name"] == "Grand round"


def test_rebuilding_a_day_twice_changes_nothing(week, ing, fold):
    genios, _i1, _i2 = week
    with scope(tenant=ing):
        before = selectors.daily_series(campaign=genios, tenant=ing, start=day(0), end=day(7))
        funnel_before = selectors.funnel(campaign=genios)
    fold(ing, [day(0), day(1), day(3)])
    with scope(tenant=ing):
        assert (
            selectors.daily_series(campaign=genios, tenant=ing, start=day(0), end=day(7)) == before
        )
        assert selectors.funnel(campaign=genios) == funnel_before


def test_each_selector_runs_the_same_queries_empty_or_full(
    week, ing, make_campaign, django_assert_num_queries
):
    genios, i1, _i2 = week
    with time_machine.travel(at(7, 12)):
        empty = make_campaign(slug="vacio", title="Vacío", starts_at=at(7, 0))
    for campaign in (empty, genios):
        with scope(tenant=ing):
            with django_assert_num_queries(2):
                selectors.daily_series(campaign=campaign, tenant=ing, start=day(0), end=day(27))
            with django_assert_num_queries(2):
                selectors.funnel(campaign=campaign)
            with django_assert_num_queries(1):
                selectors.sources(campaign=campaign, idea=i1)
            with django_assert_num_queries(2):
                selectors.audience(campaign=campaign)
            with django_assert_num_queries(1):
                selectors.round_boundaries(campaign=campaign)
