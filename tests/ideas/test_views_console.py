"""The moderators' console: the queue with filters and media preview, bulk
decisions with reasons, an idea's review page with its history and merge, and
the tenant's rules — for every persona."""

import re

import pytest
from django_scopes import scope

from campaigns.models import Campaign
from ideas import services
from ideas.models import Comment, Idea, Media
from tests.ideas.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pre(ing, make_campaign):
    return make_campaign(ing, slug="pre", title="Pre", moderation=Campaign.Moderation.PRE)


def test_who_sees_the_queue(ing, owner, admin, moderator, juror, pat, stranger, client_for):
    for person in (owner, admin, moderator):
        assert client_for(ing, person).get("/console/moderation/").status_code == 200
    assert client_for(ing, juror).get("/console/moderation/").status_code == 403
    assert client_for(ing, pat).get("/console/moderation/").status_code == 404
    assert client_for(ing, stranger).get("/console/moderation/").status_code == 404
    assert client_for(ing).get("/console/moderation/").status_code == 302


def test_the_queue_shows_waiting_ideas_with_their_media_and_filters(
    ing, pre, moderator, submit, client_for, django_capture_on_commit_callbacks
):
    text = submit(campaign=pre, title="Texto que espera")
    image = submit(campaign=pre, title="Foto que espera", image=upload(image_bytes()))
    client = client_for(ing, moderator)
    page = client.get("/console/moderation/").text
    assert "Texto que espera" in page and "Foto que espera" not in page  # still processing
    with scope(tenant=ing):
        services.media_process(media_id=Media.objects.get(idea=image).pk)
    page = client.get("/console/moderation/").text
    assert "Foto que espera" in page and re.search(
        r'<img class="queue-media" src="/media/ideas/', page
    )
    assert "Checked before publication" in page
    assert "Foto" not in client.get("/console/moderation/?kind=text").text
    assert "Texto" not in client.get("/console/moderation/?q=foto").text
    assert "Texto" in client.get("/console/moderation/?campaign=pre&reason=pre_moderation").text
    assert text.public_id


def test_bulk_decisions_with_a_reason_tell_the_authors(
    ing, pre, moderator, pat, submit, client_for
):
    ideas = [submit(campaign=pre, title=f"Idea {n}") for n in range(3)]
    client = client_for(ing, moderator)
    response = client.post(
        "/console/moderation/",
        {"ideas": [str(i.public_id) for i in ideas[:2]], "action": "reject", "reason": ""},
    )
    assert response.status_code == 400 and "Give a reason" in response.text
    response = client.post(
        "/console/moderation/",
        {"ideas": [str(i.public_id) for i in ideas[:2]], "action": "reject", "reason": "Spam"},
    )
    assert response.status_code == 302
    response = client.post(
        "/console/moderation/", {"ideas": [str(ideas[2].public_id)], "action": "approve"}
    )
    with scope(tenant=ing):
        states = dict(Idea.objects.values_list("title", "state"))
    assert states == {"Idea 0": "rejected", "Idea 1": "rejected", "Idea 2": "published"}
    # The author's bell says why, as the e-mail does.
    inbox = client_for(ing, pat).get("/notifications/").text
    assert "Your idea “Idea 0” was not accepted. Reason: Spam" in inbox


def ticked(page: str, name: str) -> set[str]:
    """The values of the ticked checkboxes called `name` on a page."""
    return {
        match.group(1)
        for match in re.finditer(
            rf'<input type="checkbox" name="{name}" value="([^"]+)"([^>]*)>', page
        )
        if re.search(r"\bchecked\b", match.group(2))
    }


def test_the_selection_survives_a_missing_reason(ing, pre, moderator, submit, client_for):
    ideas = [submit(campaign=pre, title=f"Idea {n}") for n in range(3)]
    picked = {str(i.public_id) for i in ideas[:2]}
    response = client_for(ing, moderator).post(
        "/console/moderation/",
        {"ideas": sorted(picked), "action": "hide", "reason": ""},
    )
    assert response.status_code == 400 and "Give a reason" in response.text
    assert ticked(response.text, "ideas") == picked


def test_the_comment_selection_survives_a_missing_reason(
    ing, pre, moderator, sam, submit, client_for
):
    idea = submit(campaign=pre)
    with scope(tenant=ing):
        services.ideas_moderate(ideas=[idea], actor=moderator, action="approve")
        idea.refresh_from_db()
        first = services.comment_post(idea=idea, author=sam, body="Primero")
        services.comment_post(idea=idea, author=sam, body="Segundo")
    response = client_for(ing, moderator).post(
        "/console/moderation/comments/",
        {"comments": [str(first.public_id)], "action": "hide", "reason": ""},
    )
    assert response.status_code == 400
    assert ticked(response.text, "comments") == {str(first.public_id)}


def test_another_tenants_ideas_cannot_be_decided(ing, decathlon, stranger, pre, submit, client_for):
    idea = submit(campaign=pre)
    client = client_for(decathlon, stranger)
    client.post("/console/moderation/", {"ideas": [str(idea.public_id)], "action": "approve"})
    with scope(tenant=ing):
        idea.refresh_from_db()
    assert idea.state == Idea.State.PENDING
    assert client.get(f"/console/moderation/ideas/{idea.public_id}/").status_code == 404


def test_the_review_page_shows_the_history_and_merges(ing, moderator, pat, sam, submit, client_for):
    keep = submit(title="Redondeo automático de compras")
    duplicate = submit(author=sam, title="Redondear las compras")
    client = client_for(ing, moderator)
    client.post(
        f"/console/moderation/ideas/{duplicate.public_id}/decide/",
        {"action": "hide", "reason": "Duplicado"},
    )
    page = client.get(f"/console/moderation/ideas/{duplicate.public_id}/").text
    # The history in words, not codes.
    assert "Hidden by a moderator" in page and "Duplicado" in page and "Submitted" in page
    assert "idea.hide" not in page and "idea.submit" not in page
    assert str(keep.public_id) in page  # offered as a similar idea to merge into
    bad = client.post(f"/console/moderation/ideas/{duplicate.public_id}/merge/", {"into": "x"})
    assert bad.status_code == 400
    response = client.post(
        f"/console/moderation/ideas/{duplicate.public_id}/merge/",
        {"into": f"http://ing.localhost/ideas/{keep.public_id}/"},
    )
    assert response.status_code == 302
    with scope(tenant=ing):
        duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk
    history = client.get(f"/console/moderation/ideas/{duplicate.public_id}/").text
    assert "Merged into a similar idea" in history and "idea.merge" not in history


def test_the_comment_queue(ing, pre, moderator, pat, sam, submit, client_for):
    idea = submit(campaign=pre)
    with scope(tenant=ing):
        services.ideas_moderate(ideas=[idea], actor=moderator, action="approve")
        idea.refresh_from_db()
        comment = services.comment_post(idea=idea, author=sam, body="Comentario que espera")
    client = client_for(ing, moderator)
    assert "Comentario que espera" in client.get("/console/moderation/comments/").text
    client.post(
        "/console/moderation/comments/", {"comments": [str(comment.public_id)], "action": "approve"}
    )
    with scope(tenant=ing):
        assert Comment.objects.get().state == Comment.State.PUBLISHED


def test_the_rules_page(ing, owner, moderator, client_for):
    assert client_for(ing, moderator).get("/console/moderation/rules/").status_code == 200
    assert (
        client_for(ing, moderator)
        .post("/console/moderation/rules/", {"links": "allow"})
        .status_code
        == 403
    )
    client = client_for(ing, owner)
    bad = client.post(
        "/console/moderation/rules/", {"blocked_words": "x", "links": "hold_unlisted",
                                       "allowed_domains": "not a domain"},
    )  # fmt: skip
    assert bad.status_code == 400 and "is not a domain name" in bad.text
    response = client.post(
        "/console/moderation/rules/",
        {"blocked_words": "estafa\ncasino", "links": "hold_unlisted", "allowed_domains": "ing.es"},
    )
    assert response.status_code == 302
    page = client.get("/console/moderation/rules/").text
    assert "estafa\ncasino" in page and 'value="ing.es"' in page


def test_the_console_nav_offers_moderation_to_moderators(ing, moderator, client_for):
    page = client_for(ing, moderator).get("/console/moderation/").text
    assert 'href="/console/moderation/rules/"' in page


def test_the_queue_runs_a_constant_number_of_queries(
    ing, pre, moderator, submit, client_for, django_assert_max_num_queries
):
    submit(campaign=pre, title="Una")
    client = client_for(ing, moderator)
    client.get("/console/moderation/")
    with django_assert_max_num_queries(30) as few:
        client.get("/console/moderation/")
    for n in range(15):
        submit(campaign=pre, title=f"Más {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/console/moderation/").text
    assert page.count('name="ideas"') == 16
