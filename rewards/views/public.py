"""Public pages of rewards: a challenge's winners (with how each prize is
shared), the leaderboards, and a winner's payouts with their payment details."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import selectors as campaign_selectors
from core.views import in_tenant_time_zone
from ideas import selectors as idea_selectors
from ideas.sharing import share_links
from rewards import selectors, services
from rewards import winners_card as winners_card_module


def _winning_pictures(winners) -> dict[int, object]:
    """{idea id: its ready media} for the winning ideas, in one query."""
    return idea_selectors.ready_media_by_idea({w.award.idea_id for w in winners})


@require_GET
@in_tenant_time_zone
def winners(request, slug):
    """Each announced round's winning ideas, with their pictures, prizes and
    shares, and a share card for the link (winners_card)."""
    campaign = campaign_selectors.campaign_for_viewer(request, slug)
    found = selectors.winners_of(campaign)
    media = _winning_pictures(found)
    rounds: dict[str, list] = {}
    for winner in found:
        winner.media = media.get(winner.award.idea_id)
        rounds.setdefault(winner.round_label, []).append(winner)
    page_url = request.build_absolute_uri(reverse("rewards:winners", kwargs={"slug": slug}))
    card_url = request.build_absolute_uri(reverse("rewards:winners_card", kwargs={"slug": slug}))
    total = sum((w.award.amount for w in found), Decimal(0))
    return render(
        request,
        "rewards/public/winners.html",
        {
            "campaign": campaign,
            "winners": found,
            "rounds": list(rounds.items()),
            "total": total,
            "currency": found[0].award.currency if found else "EUR",
            "share": {
                "url": page_url,
                "title": _("Winners of %(title)s") % {"title": campaign.title},
                "links": share_links(page_url, campaign.title),
                "image": f"{card_url}?v={winners_card_module.card_key(campaign, found)[-20:]}",
            },
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def winners_card(request, slug):
    """The winners page's share card (a 1200x630 JPEG, cached)."""
    campaign = campaign_selectors.campaign_for_viewer(request, slug)
    found = selectors.winners_of(campaign)

    def picture() -> bytes | None:
        media_of = _winning_pictures(found)
        for winner in reversed(found):  # the latest round's first
            media = media_of.get(winner.award.idea_id)
            if media is not None and media.share_card:
                try:
                    with media.share_card.open("rb") as stored:
                        return stored.read()
                except OSError:
                    return None
        return None

    return HttpResponse(
        winners_card_module.winners_card(campaign, found, picture=picture),
        content_type="image/jpeg",
    )


@require_GET
def campaign_leaderboard(request, slug):
    campaign = campaign_selectors.campaign_for_viewer(request, slug)
    return render(
        request,
        "rewards/public/leaderboard.html",
        {
            "campaign": campaign,
            "rows": selectors.leaderboard(tenant=request.tenant, campaign=campaign, limit=50),
            "points": selectors.POINTS,
        },
    )


@require_GET
def tenant_leaderboard(request):
    return render(
        request,
        "rewards/public/leaderboard.html",
        {
            "campaign": None,
            "rows": selectors.leaderboard(tenant=request.tenant, limit=50),
            "points": selectors.POINTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@in_tenant_time_zone
def my_payouts(request):
    """The person's prizes in this brand and where each payment stands; the
    form says where to pay them (IBAN shown masked once saved)."""
    tenant, user = request.tenant, request.user
    details = selectors.details_of(tenant=tenant, user=user)
    values = {"holder_name": details.holder_name if details else "", "iban": "", "bic": ""}
    errors: dict = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in values}
        try:
            services.payout_details_save(tenant=tenant, user=user, **values)
        except services.RewardsError as error:
            errors = error.fields or {"iban": [error.message]}
            status = 400
        else:
            messages.success(request, _("Your payment details are saved."))
            return redirect("rewards:my_payouts")
    return render(
        request,
        "rewards/public/my_payouts.html",
        {
            "payouts": selectors.my_payouts(tenant=tenant, user=user),
            "details": details,
            "values": values,
            "errors": errors,
        },
        status=status,
    )
