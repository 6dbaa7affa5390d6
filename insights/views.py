"""The brand's dashboard in the console: for the whole brand, or one challenge
(with its rounds: one at a time, or two side by side).

Everyone on the console team sees it (owner, admin, moderator); jurors get
403 and people outside the team 404, as on every console page. Each panel
comes from one selector of insights.selectors, in a fixed number of queries."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from core.permissions import CONSOLE_ROLES, console_view
from core.views import in_tenant_time_zone
from insights.charts import LineChart, Series, bar_length
from insights.forms import DashboardFilters
from insights.labels import round_label
from insights.selection import Selection, local_day
from insights.selectors import ideas, jury, moderation, people, prizes, rounds


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def dashboard(request, slug=None):
    """The brand's dashboard, or a challenge's when `slug` names one of its own."""
    campaign = campaign_selectors.campaign_for_console(request, slug) if slug else None
    challenge_rounds = list(campaign.rounds.all()) if campaign is not None else []
    form = DashboardFilters(
        request.GET or None, tenant=request.tenant, campaign=campaign, rounds=challenge_rounds
    )
    refused = form.is_bound and not form.is_valid()
    selection = form.selection()
    context = {
        "campaign": campaign,
        "form": form,
        "refused": refused,
        "selection": selection,
        "campaigns": list(
            Campaign.objects.filter(tenant=request.tenant)
            .exclude(status=Campaign.Status.DRAFT)
            .order_by("-starts_at", "pk")
            .only("slug", "title")
        ),
        **panels(selection),
    }
    return render(request, "insights/dashboard.html", context, status=400 if refused else 200)


def panels(selection: Selection) -> dict:
    """Every panel's figures and charts for the selection."""
    activity = people.activity(selection=selection)
    top = ideas.top_ideas(selection=selection)
    active = people.most_active(selection=selection)
    workload = moderation.workload(selection=selection)
    spend = prizes.prize_spend(selection=selection)
    days = selection.days
    boundaries = [
        (local_day(r.starts_at, selection.tz), round_label(r))
        for r in selection.rounds
        if r.kind == "weekly"
    ]
    queue_chart = LineChart(
        days=days,
        series=[Series(_("Waiting for a decision"), [d["queue"] for d in workload.days])],
        markers=boundaries,
    )
    most_votes = max((i.votes for i in top), default=0)
    return {
        "activity": activity,
        "top_ideas": [(idea, bar_length(idea.votes, most_votes)) for idea in top],
        "most_active": active,
        "workload": workload,
        "queue_chart": queue_chart,
        "jury_progress": [
            (row, bar_length(row.submitted, row.to_score))
            for row in jury.jury_progress(selection=selection)
        ],
        "prize_spend": [
            (
                entry,
                [
                    (label, amount, bar_length(amount, entry.promised or entry.awarded))
                    for label, amount in entry.steps
                ],
            )
            for entry in spend
        ],
        "comparison": rounds.compare_rounds(selection=selection),
        "round_boundaries": boundaries,
        "round_chosen": round_label(selection.round) if selection.round else "",
        "compare_chosen": round_label(selection.compare) if selection.compare else "",
    }
