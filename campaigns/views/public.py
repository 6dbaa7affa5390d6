"""The tenant's public pages: its home (its challenges) and each challenge's page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from campaigns import selectors, services
from campaigns.pages import challenge_summary
from core.views import in_tenant_time_zone


@require_GET
@in_tenant_time_zone
def home(request):
    """Open challenges first, then the coming ones, then past ones (with their
    winners, shown by the apps that decide them)."""
    campaigns = selectors.public_campaigns(request)
    sections = selectors.home_sections(campaigns)
    cards = {
        name: [
            {
                "campaign": c,
                **challenge_summary(c, rounds=c.rounds.all(), prizes=c.prizes.all()),
            }
            for c in items
        ]
        for name, items in sections.items()
    }
    featured = (sections["open"] or sections["upcoming"] or [None])[0]
    return render(
        request,
        "campaigns/public/home.html",
        {
            "open_cards": cards["open"],
            "upcoming_cards": cards["upcoming"],
            "past_cards": cards["past"],
            "featured": featured,
        },
    )


@require_GET
@in_tenant_time_zone
def challenge(request, slug):
    campaign = selectors.campaign_for_viewer(request, slug)
    summary = challenge_summary(
        campaign, rounds=campaign.rounds.all(), prizes=campaign.prizes.all()
    )
    return render(
        request,
        "campaigns/public/challenge.html",
        {
            "campaign": campaign,
            "can_take_part": selectors.can_take_part(request, campaign),
            "share_url": request.build_absolute_uri(
                reverse("campaigns:detail", kwargs={"slug": campaign.slug})
            ),
            "cover_url": request.build_absolute_uri(campaign.cover.url) if campaign.cover else "",
            **summary,
        },
    )


@require_GET
def invitation(request, slug, token):
    """An invitation link: remember it for this visitor, then show the challenge.
    A wrong or revoked token is the same 404 as a missing challenge."""
    campaign = selectors.campaign_published(request, slug)
    if services.invitation_use(campaign=campaign, token=token) is None:
        raise Http404
    selectors.remember_invitation(request, campaign)
    return redirect("campaigns:detail", slug=campaign.slug)
