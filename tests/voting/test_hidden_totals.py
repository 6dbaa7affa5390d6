"""A challenge that hides its vote totals while voting is open: a signed-out
visitor, a participant (an author who votes too) and a juror find no count and
no order made of the votes — in any page, API answer, export, share card or
e-mail. Only the brand's team (owners, admins, moderators) sees them."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from accounts.models import Membership, User
from ideas import services as idea_services
from notifications import services as notification_services
from notifications.models import EmailDelivery, Notification
from tests.voting.conftest import accept_terms
from voting import services

pytestmark = pytest.mark.django_db

SLUG = "a-ciegas"
# Votes: A 3, B 1, C 2. Published A, then B, then C: newest first is C, B, A;
# most voted first would be A, C, B.
NEWEST = ["Idea C", "Idea B", "Idea A"]
MOST_VOTED = ["Idea A", "Idea C", "Idea B"]
SORTS = ["", "newest", "votes", "round", "trending"]
A_COUNT = re.compile(r"\b\d+\s+(votes?|votos?)\b", re.IGNORECASE)


@pytest.fixture
def hidden(make_campaign, make_voter, participant, ing, cast):
    campaign = make_campaign(slug=SLUG, title="A ciegas", show_vote_counts=False)
    # An account a month old: its vote counts at once (new ones wait for review).
    User.objects.filter(pk=participant.pk).update(
        date_joined=timezone.now() - dt.timedelta(days=30)
    )
    participant.refresh_from_db()
    accept_terms(participant, ing)
    authors = [make_voter(), make_voter(), participant]
    ideas = {}
    for title, author in zip(("Idea A", "Idea B", "Idea C"), authors, strict=True):
        with scope(tenant=ing):
            ideas[title] = idea_services.idea_submit(
                campaign=campaign,
                author=author,
                title=title,
                body="Ahorra un poco cada semana con una hucha.",
            )
            assert ideas[title].state == "published"
    for title, n in (("Idea A", 3), ("Idea B", 1), ("Idea C", 2)):
        for _ in range(n - (1 if title == "Idea A" else 0)):
            assert cast(ideas[title], make_voter()).changed
    assert cast(ideas["Idea A"], participant).changed  # the participant votes too
    with scope(tenant=ing):
        round_ = services.voting_round(campaign)
    return campaign, ideas, round_


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def order_in(html: str) -> list[str]:
    found = [(html.find(f">{title}<"), title) for title in NEWEST]
    return [title for position, title in sorted(found) if position >= 0]


def pages(client, campaign, ideas, round_) -> dict[str, str]:
    """Every page a visitor can open about the challenge, by path."""
    paths = [f"/challenges/{SLUG}/", f"/challenges/{SLUG}/leaderboard/", "/leaderboard/"]
    paths += [f"/challenges/{SLUG}/ideas/?sort={sort}" for sort in SORTS]
    paths += [f"/challenges/{SLUG}/ideas/similar/?title=Idea+hucha"]
    paths += [idea.get_absolute_url() for idea in ideas.values()]
    paths += [f"/challenges/{SLUG}/rounds/{round_.public_id}/ranking/"]
    seen = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = response.content.decode()
    for sort in SORTS:  # the gallery's htmx fragments
        path = f"/challenges/{SLUG}/ideas/?sort={sort}"
        seen[f"htmx {path}"] = client.get(path, HTTP_HX_REQUEST="true").content.decode()
    return seen


def answers(client, ideas, round_) -> dict[str, object]:
    """Every API answer about the challenge, by path."""
    paths = [f"/api/v1/challenges/{SLUG}/ideas?sort={sort}" for sort in SORTS]
    paths += [f"/api/v1/challenges/{SLUG}/ideas/similar?title=Idea+hucha"]
    paths += [f"/api/v1/ideas/{idea.public_id}" for idea in ideas.values()]
    paths += [f"/api/v1/challenges/{SLUG}/leaderboard", "/api/v1/leaderboard"]
    paths += [f"/api/v1/challenges/{SLUG}"]
    seen = {path: client.get(path).json() for path in paths}
    seen["ranking"] = client.get(f"/api/v1/rounds/{round_.public_id}/ranking")
    return seen


def every_email(tenant) -> list[str]:
    """Every e-mail the challenge has produced, sent now."""
    with scope(tenant=tenant):
        for delivery in EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING):
            notification_services.email_deliver(delivery_id=delivery.pk)
    return [m.subject + "\n" + m.body + "".join(a[0] for a in m.alternatives) for m in mail.outbox]


def assert_no_totals(client, persona, campaign, ideas, round_):
    for path, html in pages(client, campaign, ideas, round_).items():
        assert not A_COUNT.search(html), (persona, path, A_COUNT.search(html))
        assert 'class="vote-count"' not in html and 'class="idea-votes"' not in html, path
        assert "Most voted" not in html and "Trending" not in html, (persona, path)
        if "/ideas/?" in path:
            assert order_in(html) == NEWEST, (persona, path)
        if path.endswith("/ranking/"):
            assert "Idea A" not in html  # the live ranking waits for the end of the voting
        if "/ideas/" in path and "similar" not in path and "?" not in path:
            og = re.findall(r'<meta (?:property|name)="(?:og|twitter):[^>]*>', html)
            assert og and not any(A_COUNT.search(tag) or "vote" in tag.lower() for tag in og)
    seen = answers(client, ideas, round_)
    ranking = seen.pop("ranking")
    assert ranking.status_code == 403
    assert ranking.json()["error"]["code"] == "totals_hidden"
    for path, body in seen.items():
        rows = body.get("results", [body]) if isinstance(body, dict) else body
        for row in rows:
            assert row.get("vote_count") is None and row.get("round_vote_count") is None, path
            assert row.get("votes", 0) == 0, (persona, path, row)  # the leaderboard
        if "/ideas?" in path:
            assert [r["title"] for r in body["results"]] == NEWEST, (persona, path)
    # What the leaderboard's points are made of: ideas, not votes received.
    for row in seen["/api/v1/leaderboard"]:
        assert row["points"] == 10 * row["ideas"] + 2 * row["comments"], row


def test_a_visitor_finds_no_total_and_no_vote_order(ing, hidden, client_for):
    campaign, ideas, round_ = hidden
    assert_no_totals(english(client_for(ing)), "visitor", campaign, ideas, round_)


def test_a_participant_finds_none_not_even_for_their_own_idea(ing, hidden, client_for, participant):
    campaign, ideas, round_ = hidden
    client = english(client_for(ing, participant))
    assert_no_totals(client, "participant", campaign, ideas, round_)
    mine = client.get("/ideas/mine/").content.decode()
    assert "Idea C" in mine and "<td>2</td>" not in mine
    assert "Shown once voting is over" in mine
    own = client.get(f"/api/v1/ideas/{ideas['Idea C'].public_id}").json()
    assert own["vote_count"] is None and own["round_vote_count"] is None
    # Their own data: what they wrote and how they voted, no totals.
    for path in ("/api/v1/me/export", "/me/data.json"):
        exported = client.get(path).content.decode()
        assert "vote_count" not in exported and "votes_received" not in exported, path
        assert "Idea C" in exported
    my_votes = client.get("/api/v1/me/votes").json()["results"]
    assert [v["title"] for v in my_votes] == ["Idea A"]
    assert set(my_votes[0]) == {"idea", "title", "challenge", "round", "cast_at", "status"}
    # A vote cast answers no total either.
    result = client.post(
        f"/api/v1/ideas/{ideas['Idea B'].public_id}/vote", content_type="application/json"
    ).json()
    assert result["vote_count"] is None and result["round_vote_count"] is None
    button = client.post(
        f"/ideas/{ideas['Idea A'].public_id}/vote/withdraw/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Your vote is withdrawn." in button and not A_COUNT.search(button)


def test_a_juror_finds_none(ing, hidden, client_for, juror):
    campaign, ideas, round_ = hidden
    assert_no_totals(english(client_for(ing, juror)), "juror", campaign, ideas, round_)


def test_no_email_or_notification_carries_a_total(ing, hidden, client_for, participant):
    _campaign, ideas, _round = hidden
    # Comments and a moderation notice make e-mails of their own.
    with scope(tenant=ing):
        idea_services.comment_post(idea=ideas["Idea C"], author=participant, body="¡Gracias!")
    texts = every_email(ing)
    for text in texts:
        assert not A_COUNT.search(text), text
    with scope(tenant=ing):
        contexts = list(Notification.objects.values_list("context", flat=True))
    for context in contexts:
        assert not any("vote" in key for key in context), context
        assert not A_COUNT.search(json.dumps(context, ensure_ascii=False)), context


@pytest.mark.parametrize("persona", ["owner", "admin", "moderator"])
def test_the_brands_team_sees_the_totals_and_the_most_voted(
    request, ing, hidden, client_for, persona
):
    _campaign, ideas, round_ = hidden
    user = request.getfixturevalue(persona)
    with scope(tenant=ing):
        assert Membership.objects.get(tenant=ing, user=user).role == persona
    client = english(client_for(ing, user))
    body = client.get(f"/api/v1/ideas/{ideas['Idea A'].public_id}").json()
    assert body["vote_count"] == 3
    listed = client.get(f"/api/v1/challenges/{SLUG}/ideas?sort=votes").json()["results"]
    assert [r["title"] for r in listed] == MOST_VOTED
    assert [r["vote_count"] for r in listed] == [3, 2, 1]
    gallery = client.get(f"/challenges/{SLUG}/ideas/?sort=votes").content.decode()
    assert order_in(gallery) == MOST_VOTED
    assert "Most voted overall" in gallery and "3 votes" in gallery
    ranking = client.get(f"/api/v1/rounds/{round_.public_id}/ranking").json()
    assert [r["title"] for r in ranking["results"]] == MOST_VOTED


def test_once_voting_is_over_everyone_sees_them(ing, hidden, client_for):
    campaign, ideas, _round = hidden
    with scope(tenant=ing):
        over = max(r.voting_ends_at for r in campaign.rounds.all())
    with time_machine.travel(over + dt.timedelta(minutes=1), tick=False):
        client = english(client_for(ing))
        body = client.get(f"/api/v1/ideas/{ideas['Idea A'].public_id}").json()
        assert body["vote_count"] == 3
        listed = client.get(f"/api/v1/challenges/{SLUG}/ideas?sort=votes").json()["results"]
        assert [r["title"] for r in listed] == MOST_VOTED
