"""The console's "Exports" page and its downloads (owners and administrators)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from core.errors import DomainError
from core.permissions import Role, console_view
from core.views import refusal
from insights.exports.download import export_response
from insights.exports.kinds import kinds_for


@require_GET
@console_view(Role.ADMIN)
def exports(request):
    """Each file, for the whole brand or for the challenge chosen."""
    challenge = request.GET.get("challenge", "")[:60]
    campaign = campaign_selectors.campaign_for_console(request, challenge) if challenge else None
    kinds = kinds_for(request.user, request.tenant, per_challenge=campaign is not None)
    return render(
        request,
        "insights/console/exports.html",
        {
            "campaigns": campaign_selectors.console_campaigns(tenant=request.tenant),
            "campaign": campaign,
            "kinds": kinds,
            "query": f"?challenge={campaign.slug}" if campaign else "",
        },
    )


@require_GET
@console_view(Role.ADMIN)
def export_download(request, kind, file_format):
    try:
        return export_response(
            request,
            kind_name=kind,
            file_format=file_format,
            challenge=request.GET.get("challenge", ""),
        )
    except DomainError as error:
        return refusal(request, status=error.status, code=error.code, message=error.message)
