"""Shares of a prize read as percentages in each language's way ("50%", "50 %"),
never as basis points, wherever they show: the console's payouts, the winners
page, the challenge and idea pages."""

from decimal import Decimal

import pytest
from django.utils import translation
from django_scopes import scope

from campaigns.money import format_percent
from ideas import services as idea_services

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("50"), "50%"),
        ("fr", Decimal("50"), f"50{NBSP}%"),
        ("es", Decimal("50"), f"50{NBSP}%"),
        ("en", Decimal("33.33"), "33.33%"),
        ("fr", Decimal("33.33"), f"33,33{NBSP}%"),
        ("es", Decimal("33.34"), f"33,34{NBSP}%"),
    ],
)
def test_a_percentage_in_each_language(language, value, expected):
    assert format_percent(value, language) == expected
    with translation.override(language):
        assert format_percent(value) == expected


@pytest.fixture
def shared_win(genios, make_idea, make_person, vote, decide, advance):
    """Ana and Marc share round 1's 500 € prize equally (5000 basis points each)."""
    ana, marc = make_person("Ana"), make_person("Marc")
    idea = vote(make_idea(title="Idea with two authors", author=ana), 2)
    with scope(tenant=genios.tenant):
        invitation = idea_services.coauthor_invite(idea=idea, actor=ana)
        idea_services.coauthor_accept(invitation=invitation, user=marc)
        genios.prizes.filter(round_kind="weekly").update(split_rule="equal")
    round_, now = decide([idea])
    advance(round_, now)
    return idea


@pytest.mark.parametrize(
    ("language", "half"), [("en", "50%"), ("fr", f"50{NBSP}%"), ("es", f"50{NBSP}%")]
)
def test_the_console_payouts_show_shares_as_percentages(
    shared_win, genios, owner, client_for, language, half
):
    page = (
        client_for(genios.tenant, owner, language=language).get("/console/payouts/?state=all").text
    )
    assert f"({half})" in page
    assert "‱" not in page and "5000" not in page


@pytest.mark.parametrize(
    ("language", "half"), [("en", "50%"), ("fr", f"50{NBSP}%"), ("es", f"50{NBSP}%")]
)
def test_the_public_pages_show_shares_as_percentages(
    shared_win, genios, client_for, language, half
):
    client = client_for(genios.tenant, language=language)
    for path in (
        f"/challenges/{genios.slug}/winners/",
        f"/challenges/{genios.slug}/",
        shared_win.get_absolute_url(),
    ):
        page = client.get(path).text
        assert f"Ana ({half}" in page or f"Ana — {half}" in page, path
        assert "50 %" not in page if language == "en" else True
