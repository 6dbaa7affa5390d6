"""The console's prize step edits the first place of each prize; the places
after it, set through the API, are kept when the step is saved."""

from decimal import Decimal

import pytest
from django.conf import settings
from django_scopes import scope

from tests.campaigns.test_views_console import prizes_form

pytestmark = pytest.mark.django_db

STEP = "/console/challenges/genios-del-ahorro/edit/prizes/"
API = "/api/v1/console/challenges/genios-del-ahorro"

PODIUM = [
    {"round_kind": "weekly", "rank": 1, "amount": "500", "currency": "EUR", "label": "Oro"},
    {"round_kind": "weekly", "rank": 2, "amount": "300", "currency": "EUR", "label": "Plata"},
    {
        "round_kind": "weekly",
        "rank": 3,
        "amount": "100",
        "currency": "EUR",
        "label": "Bronce",
        "split_rule": "equal",
    },
    {"round_kind": "grand", "rank": 1, "amount": "1500", "currency": "EUR"},
    {"round_kind": "grand", "rank": 2, "amount": "750", "currency": "EUR"},
]


def prizes_of(campaign):
    with scope(tenant=campaign.tenant):
        return sorted(
            (p.round_kind, p.rank, p.amount, p.currency, p.split_rule, p.label)
            for p in campaign.prizes.all()
        )


@pytest.fixture
def podium(ing, owner, genios, client_for):
    client = client_for(ing, owner)
    response = client.patch(API, {"prizes": PODIUM}, content_type="application/json")
    assert response.status_code == 200, response.json()
    return genios


def test_saving_the_step_unchanged_keeps_every_place(ing, owner, podium, client_for):
    before = prizes_of(podium)
    assert len(before) == 5
    response = client_for(ing, owner).post(STEP, prizes_form(weekly="500", grand="1500"))
    assert response.status_code == 302
    assert prizes_of(podium) == before


def test_changing_the_first_place_keeps_the_next_ones(ing, owner, podium, client_for):
    client_for(ing, owner).post(STEP, prizes_form(weekly="600", grand="1500"))
    assert prizes_of(podium) == [
        ("grand", 1, Decimal("1500.00"), "EUR", "author", ""),
        ("grand", 2, Decimal("750.00"), "EUR", "author", ""),
        ("weekly", 1, Decimal("600.00"), "EUR", "author", "Oro"),
        ("weekly", 2, Decimal("300.00"), "EUR", "author", "Plata"),
        ("weekly", 3, Decimal("100.00"), "EUR", "equal", "Bronce"),
    ]


def test_a_new_currency_applies_to_every_place(ing, owner, podium, client_for):
    client_for(ing, owner).post(STEP, prizes_form(weekly="500", grand="1500", currency="USD"))
    assert {p[3] for p in prizes_of(podium)} == {"USD"}
    assert len(prizes_of(podium)) == 5


def test_no_first_place_means_no_prize_of_that_kind(ing, owner, podium, client_for):
    client_for(ing, owner).post(STEP, prizes_form(weekly="", grand="1500"))
    assert [(p[0], p[1]) for p in prizes_of(podium)] == [("grand", 1), ("grand", 2)]


def test_the_step_says_the_next_places_are_kept(ing, owner, podium, client_for):
    client = client_for(ing, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(STEP).text
    assert "The next places keep their prizes: #2 €300, #3 €100." in page
    assert "The next places keep their prizes: #2 €750." in page
