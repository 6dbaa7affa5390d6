"""A juror scores the three ideas of a shortlist with the keyboard only (digits
score, n / p move between ideas, Enter submits), in real Chromium; then the
chair sees the aggregate and confirms the winner."""

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Membership
from juries.models import Assignment, Decision, JuryMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, client_for, tenant, user, tenant_url):
    client = client_for(tenant, user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": tenant_url(tenant),
            }
        ]
    )


@pytest.fixture
def english_juror(ing):
    def make(email, name):
        user = account_services.user_create(email=email, display_name=name, language="en")
        with scope(tenant=ing):
            account_services.membership_grant(tenant=ing, user=user, role=Membership.Role.JUROR)
        return user

    return make


def test_a_juror_scores_with_the_keyboard_and_the_chair_confirms(
    ing, genios, english_juror, seat, make_idea, vote, review, score, browser, page,
    client_for, tenant_url,
):  # fmt: skip
    carmen = english_juror("carmen@ing.example", "Carmen")
    jorge = english_juror("jorge@ing.example", "Jorge")
    seat(genios, carmen, JuryMember.Role.CHAIR)
    seat(genios, jorge)
    ideas = [vote(make_idea(title=f"Truco {n}"), 4 - n) for n in (1, 2, 3)]
    result = review()
    # The chair has scored already: Truco 2 is their favourite.
    for idea, values in zip(ideas, [[6, 6, 6], [9, 9, 9], [3, 3, 3]], strict=True):
        score(result.assignment(carmen, idea), carmen, values)
    first = result.assignment(jorge, ideas[0])

    sign_in(page, client_for, ing, jorge, tenant_url)
    page.goto(tenant_url(ing, "/jury/"))
    expect(page.get_by_text("0 of 3 ideas done")).to_be_visible()
    page.goto(tenant_url(ing, f"/jury/assignments/{first.public_id}/"))
    expect(page.get_by_role("heading", name="Truco 1")).to_be_visible()

    # n and p move between the ideas.
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name="Truco 2")).to_be_visible()
    page.keyboard.press("p")
    expect(page.get_by_role("heading", name="Truco 1")).to_be_visible()

    # Digits score the criteria one after the other; each change is autosaved.
    page.keyboard.press("8")
    page.keyboard.press("7")
    expect(page.locator("#save-status")).to_contain_text("2 of 3 criteria scored")
    page.keyboard.press("0")  # 10
    expect(page.get_by_role("button", name="Submit my scores")).to_be_focused()
    expect(page.locator("#save-status")).to_contain_text("3 of 3 criteria scored")
    page.keyboard.press("Enter")

    # Submitted: on to the next idea, where the same keys score it.
    expect(page.get_by_role("heading", name="Truco 2")).to_be_visible()
    expect(page.get_by_text("Your scores for “Truco 1” are submitted.")).to_be_visible()
    for key in ("9", "9", "8"):
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Truco 3")).to_be_visible()
    for key in ("2", "3", "4"):
        page.keyboard.press(key)
    page.keyboard.press("Enter")

    # Back on the round: everything done.
    expect(page.get_by_text("3 of 3 ideas done")).to_be_visible()
    with scope(tenant=ing):
        states = set(Assignment.objects.filter(juror=jorge).values_list("state", flat=True))
        values = list(
            Assignment.objects.get(pk=first.pk)
            .scores.order_by("criterion__position")
            .values_list("value", flat=True)
        )
    assert states == {"submitted"}
    assert values == [8, 7, 10]

    # The chair sees the aggregate and confirms the winner.
    chair_page = browser.new_context(locale="en-US").new_page()
    sign_in(chair_page, client_for, ing, carmen, tenant_url)
    chair_page.goto(tenant_url(ing, f"/jury/rounds/{result.round.public_id}/"))
    expect(chair_page.get_by_role("heading", name="Aggregate")).to_be_visible()
    # Truco 2: chair 100, Jorge (9, 9, 8) = 97.78 → mean 98.9; proposed.
    expect(chair_page.locator(".jury-proposed")).to_contain_text("Truco 2")
    chair_page.get_by_role("button", name="Confirm the proposal").click()
    expect(chair_page.get_by_text("Decision recorded")).to_be_visible()
    expect(chair_page.get_by_role("heading", name="Decision")).to_be_visible()
    chair_page.context.close()
    with scope(tenant=ing):
        decision = Decision.objects.get()
        assert [w.idea.title for w in decision.winners.all()] == ["Truco 2"]
