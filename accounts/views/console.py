"""The console's home and the team page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors
from accounts.permissions import CONSOLE_ROLES, console_view


@require_GET
@console_view(*CONSOLE_ROLES)
def console_home(request):
    return render(request, "accounts/console/home.html", {"role": request.role})


@require_GET
@console_view(*CONSOLE_ROLES)
def team(request):
    members = selectors.team_list(tenant=request.tenant)
    return render(request, "accounts/console/team.html", {"members": members})


@require_GET
@console_view(*CONSOLE_ROLES)
def member_detail(request, public_id):
    membership = selectors.membership_for_console(request, public_id)
    return render(request, "accounts/console/member.html", {"membership": membership})
