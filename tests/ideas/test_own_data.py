"""People's own data: ideas and comments exported, and anonymised or removed
as the person chooses when they delete their account."""

import pytest
from django_scopes import scope

from accounts import personal_data
from accounts import services as account_services
from ideas import own_data, services
from ideas.models import Coauthor, Comment, Flag, Idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registered():
    """The real sections (another app's test may have replaced them meanwhile)."""
    personal_data.register(
        "ideas", export=own_data.ideas_export, erase=own_data.ideas_erase, order=40
    )
    personal_data.register(
        "comments", export=own_data.comments_export, erase=own_data.comments_erase, order=41
    )


def _setting(ing, pat, sam, submit):
    mine = submit(title="Mi idea")
    theirs = submit(author=sam, title="Su idea")
    with scope(tenant=ing):
        lone = services.comment_post(idea=theirs, author=pat, body="Sin respuesta")
        answered = services.comment_post(idea=theirs, author=pat, body="Con respuesta")
        services.comment_post(idea=theirs, author=sam, body="Te respondo", parent=answered)
        services.comment_post(idea=mine, author=sam, body="En tu idea")
        services.idea_flag(idea=theirs, reporter=pat, reason="spam")
        invitation = services.coauthor_invite(idea=theirs, actor=sam)
        services.coauthor_accept(invitation=invitation, user=pat)
    return mine, theirs, lone, answered


def test_the_export_holds_the_persons_ideas_comments_and_flags(ing, pat, sam, submit):
    _setting(ing, pat, sam, submit)
    export = account_services.personal_data_export(user=pat, tenant=ing)
    data = export["tenants"][0]["data"]
    assert [i["title"] for i in data["ideas"]["ideas"]] == ["Mi idea"]
    assert data["ideas"]["coauthor_of"][0]["title"] == "Su idea"
    assert data["ideas"]["flags"][0]["reason"] == "spam"
    assert [c["text"] for c in data["comments"]] == ["Sin respuesta", "Con respuesta"]
    assert "Te respondo" not in str(export)  # other people's words are not theirs


def test_anonymise_keeps_the_content_without_the_person(ing, pat, sam, submit, client_for):
    mine, _theirs, _lone, _answered = _setting(ing, pat, sam, submit)
    account_services.account_delete(user=pat, mode=personal_data.ANONYMISE)
    with scope(tenant=ing):
        mine.refresh_from_db()
        assert mine.author_id is None and mine.state == Idea.State.PUBLISHED
        assert Comment.objects.filter(author__isnull=True).count() == 2
        assert not Flag.objects.exists() and not Coauthor.objects.exists()
    assert "Former participant" in client_for(ing).get(f"/ideas/{mine.public_id}/").text


def test_remove_deletes_the_content_and_keeps_threads_readable(ing, pat, sam, submit):
    mine, theirs, lone, answered = _setting(ing, pat, sam, submit)
    account_services.account_delete(user=pat, mode=personal_data.REMOVE)
    with scope(tenant=ing):
        assert not Idea.objects.filter(pk=mine.pk).exists()
        assert not Comment.objects.filter(pk=lone.pk).exists()
        answered.refresh_from_db()
        assert answered.body == "" and answered.author_id is None
        assert answered.state == Comment.State.WITHDRAWN
        theirs.refresh_from_db()
        assert theirs.comment_count == 1  # only sam's reply is still published
