"""The sitemap: challenges and idea pages, in pages of ten thousand."""

from __future__ import annotations

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from ideas.models import Idea

# --- Sitemaps ---------------------------------------------------------------------------------

SITEMAP_PAGE = 10_000


def sitemap_campaigns(tenant) -> list[Campaign]:
    """Challenges anyone may see (public audience, published)."""
    return list(
        Campaign.objects.filter(
            tenant=tenant,
            status__in=campaign_selectors.VISIBLE_STATUSES,
            audience=Campaign.Audience.PUBLIC,
        ).order_by("pk")
    )


def sitemap_idea_pages(tenant) -> int:
    count = Idea.objects.filter(
        tenant=tenant,
        state=Idea.State.PUBLISHED,
        campaign__in=[c.pk for c in sitemap_campaigns(tenant)],
    ).count()
    return max(1, -(-count // SITEMAP_PAGE))


def sitemap_ideas(tenant, page: int) -> list[tuple]:
    """(public_id, updated_at) of one page of public ideas, by id."""
    return list(
        Idea.objects.filter(
            tenant=tenant,
            state=Idea.State.PUBLISHED,
            campaign__in=[c.pk for c in sitemap_campaigns(tenant)],
        )
        .order_by("pk")
        .values_list("public_id", "updated_at")[(page - 1) * SITEMAP_PAGE : page * SITEMAP_PAGE]
    )
