"""What happened in a tenant's challenges over a period, row by row, for the
dashboard's daily figures (insights folds them once a minute)."""

from ideas.models import Comment, Idea


def ideas_by_public_id(*, tenant, public_ids) -> dict[str, tuple[int, int]]:
    """public id (text) → (idea id, challenge id), one query."""
    rows = Idea.objects.filter(tenant=tenant, public_id__in=set(public_ids)).values_list(
        "public_id", "pk", "campaign_id"
    )
    return {str(public_id): (pk, campaign_id) for public_id, pk, campaign_id in rows}


def submissions_between(*, tenant, since, until) -> list[dict]:
    """Ideas submitted in [since, until) (drafts never are), whatever became of them."""
    return list(
        Idea.objects.filter(tenant=tenant, submitted_at__gte=since, submitted_at__lt=until)
        .values("pk", "campaign_id", "round_id", "author_id", "submitted_at")
        .order_by("submitted_at", "pk")
    )


def comments_between(*, tenant, since, until) -> list[dict]:
    """Comments written in [since, until), whatever became of them."""
    return list(
        Comment.objects.filter(tenant=tenant, created_at__gte=since, created_at__lt=until)
        .values("idea_id", "idea__campaign_id", "author_id", "created_at")
        .order_by("created_at", "pk")
    )
