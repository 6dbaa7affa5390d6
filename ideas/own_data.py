"""Ideas' sections of people's own data (see accounts.personal_data): what a
person wrote, exported; anonymised or removed when they leave."""

from django.db import transaction
from django.db.models import Count, Q

from ideas.models import Coauthor, Comment, Flag, Idea, Media
from ideas.services import _delete_files_on_commit


def _iso(value):
    return value.isoformat() if value else None


def ideas_export(*, user, tenant):
    ideas = (
        Idea.objects.filter(tenant=tenant, author=user)
        .select_related("campaign")
        .order_by("created_at")
    )
    coauthored = (
        Coauthor.objects.filter(tenant=tenant, user=user)
        .select_related("idea")
        .order_by("created_at")
    )
    return {
        "ideas": [
            {
                "id": str(idea.public_id),
                "challenge": idea.campaign.title,
                "title": idea.title,
                "text": idea.body,
                "tags": idea.tags,
                "kind": idea.kind,
                "state": idea.state,
                "video_link": f"{idea.video_provider}:{idea.video_ref}" if idea.video_ref else None,
                "created_at": _iso(idea.created_at),
                "published_at": _iso(idea.published_at),
            }
            for idea in ideas
        ],
        "coauthor_of": [
            {"idea": str(c.idea.public_id), "title": c.idea.title, "status": c.status}
            for c in coauthored
        ],
        "flags": [
            {"reason": f.reason, "note": f.note, "created_at": _iso(f.created_at)}
            for f in Flag.objects.filter(tenant=tenant, reporter=user).order_by("created_at")
        ],
    }


def ideas_erase(*, user, tenant, mode):
    """ANONYMISE: the ideas stay, without their author. REMOVE: they go, with
    their media files. Either way the person's flags and co-authorships go."""
    from accounts.personal_data import REMOVE

    Flag.objects.filter(tenant=tenant, reporter=user).delete()
    Coauthor.objects.filter(tenant=tenant, user=user).delete()
    Coauthor.objects.filter(tenant=tenant, invited_by=user).update(invited_by=None)
    ideas = Idea.objects.filter(tenant=tenant, author=user)
    if mode == REMOVE:
        for row in Media.objects.filter(tenant=tenant, idea__in=ideas):
            _delete_files_on_commit([row.upload, *row.rendition_files()])
        Idea.objects.filter(merged_into__in=ideas).update(merged_into=None, state=Idea.State.HIDDEN)
        ideas.delete()
    else:
        ideas.update(author=None)


def comments_export(*, user, tenant):
    return [
        {
            "idea": str(c.idea.public_id),
            "idea_title": c.idea.title,
            "text": c.body,
            "state": c.state,
            "reply": c.parent_id is not None,
            "created_at": _iso(c.created_at),
        }
        for c in Comment.objects.filter(tenant=tenant, author=user)
        .select_related("idea")
        .order_by("created_at")
    ]


def comments_erase(*, user, tenant, mode):
    """ANONYMISE: comments stay, without their author. REMOVE: they go; a
    comment others answered keeps its place in the thread, emptied."""
    from accounts.personal_data import REMOVE

    comments = Comment.objects.filter(tenant=tenant, author=user)
    touched = set(comments.values_list("idea_id", flat=True))
    if mode == REMOVE:
        answered = comments.annotate(
            others=Count("replies", filter=~Q(replies__author=user))
        ).filter(others__gt=0)
        answered_ids = list(answered.values_list("pk", flat=True))
        Comment.objects.filter(pk__in=answered_ids).update(
            body="", author=None, state=Comment.State.WITHDRAWN
        )
        comments.exclude(pk__in=answered_ids).delete()
    else:
        comments.update(author=None)
    with transaction.atomic():
        for idea_id in touched:
            count = Comment.objects.filter(idea_id=idea_id, state=Comment.State.PUBLISHED).count()
            Idea.objects.filter(pk=idea_id).update(comment_count=count)
