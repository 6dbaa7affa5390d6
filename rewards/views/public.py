"""Public pages of rewards: a challenge's winners (with how each prize is
shared), the leaderboards, and a winner's payouts with their payment details."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import selectors as campaign_selectors
from core.views import in_tenant_time_zone
from rewards import selectors, services


@require_GET
@in_tenant_time_zone
def winners(request, slug):
    campaign = campaign_selectors.campaign_for_viewer(request, slug)
    return render(
        request,
        "rewards/public/winners.html",
        {"campaign": campaign, "winners": selectors.winners_of(campaign)},
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
