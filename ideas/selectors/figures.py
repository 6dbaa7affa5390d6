"""What the brand reads about its ideas in bulk: the rows of the exports and a
period's counts (the weekly report). Querysets are joined as the files read
them, so a caller iterating them costs the same queries for 10 rows or 100,000."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.selectors import public_name_expression
from ideas.models import Comment, Idea


def ideas_for_export(*, tenant, campaign=None) -> QuerySet[Idea]:
    """Every idea past its draft (drafts are their authors' own), oldest first,
    with its challenge, round and author's public name (`author_name`)."""
    ideas = Idea.objects.filter(tenant=tenant).exclude(state=Idea.State.DRAFT)
    if campaign is not None:
        ideas = ideas.filter(campaign=campaign)
    return (
        ideas.select_related("campaign", "round", "merged_into")
        .annotate(author_name=public_name_expression("author_id"))
        .order_by("created_at", "pk")
    )


def comments_for_export(*, tenant, campaign=None) -> QuerySet[Comment]:
    """Every comment, oldest first, with its idea and author's public name."""
    comments = Comment.objects.filter(tenant=tenant)
    if campaign is not None:
        comments = comments.filter(idea__campaign=campaign)
    return (
        comments.select_related("idea", "idea__campaign", "parent")
        .annotate(author_name=public_name_expression("author_id"))
        .order_by("created_at", "pk")
    )


def period_counts(*, tenant, start, end) -> dict:
    """Ideas submitted and comments written in [start, end), and what waits for
    the moderators now."""
    return {
        "ideas": Idea.objects.filter(
            tenant=tenant, submitted_at__gte=start, submitted_at__lt=end
        ).count(),
        "comments": Comment.objects.filter(tenant=tenant, created_at__gte=start, created_at__lt=end)
        .exclude(state=Comment.State.WITHDRAWN)
        .count(),
        "comments_waiting": Comment.objects.filter(
            tenant=tenant, state=Comment.State.PENDING
        ).count(),
    }
