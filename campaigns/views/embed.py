"""A challenge's pages to embed on the brand's own site (integrations.embeds):
the whole challenge, its gallery alone, its winners alone. Framed only by the
origins the brand allows."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from campaigns import selectors
from campaigns.pages import challenge_summary
from core.views import in_tenant_time_zone
from integrations.embeds import Embeddable, OEmbedItem, embeddable

SECTIONS = {"gallery": "ideas", "winners": "winners"}


def _context(request, slug) -> dict:
    campaign = selectors.campaign_for_viewer(request, slug)
    return {
        "campaign": campaign,
        "can_take_part": selectors.can_take_part(request, campaign),
        "share_url": request.build_absolute_uri(
            reverse("campaigns:detail", kwargs={"slug": campaign.slug})
        ),
        "cover_url": request.build_absolute_uri(campaign.cover.url) if campaign.cover else "",
        "base_template": "embed/base.html",
        **challenge_summary(campaign, rounds=campaign.rounds.all(), prizes=campaign.prizes.all()),
    }


@require_GET
@embeddable
@in_tenant_time_zone
def challenge(request, slug):
    return render(request, "campaigns/public/challenge.html", _context(request, slug))


def _section(page):
    @require_GET
    @embeddable
    @in_tenant_time_zone
    def view(request, slug):
        context = _context(request, slug) | {"slot": SECTIONS[page], "page": page}
        return render(request, "campaigns/embed/section.html", context)

    view.__name__ = page
    return view


gallery = _section("gallery")
winners = _section("winners")


# --- What integrations asks of the challenges ------------------------------------------


def oembed_challenge(request, slug) -> OEmbedItem:
    campaign = selectors.campaign_for_viewer(request, slug)
    return OEmbedItem(
        title=campaign.title,
        author_name=request.tenant.name,
        thumbnail_url=request.build_absolute_uri(campaign.cover.url) if campaign.cover else "",
        embed_path=reverse("campaigns_embed:challenge", kwargs={"slug": campaign.slug}),
    )


def embeddable_challenges(tenant) -> list[Embeddable]:
    from django.utils.translation import gettext as _

    return [
        Embeddable(
            title=campaign.title,
            pages=[
                (_("The challenge"), reverse("campaigns_embed:challenge", args=[campaign.slug])),
                (_("Its gallery"), reverse("campaigns_embed:gallery", args=[campaign.slug])),
                (_("Its winners"), reverse("campaigns_embed:winners", args=[campaign.slug])),
            ],
        )
        for campaign in selectors.embeddable_campaigns(tenant=tenant)
    ]
