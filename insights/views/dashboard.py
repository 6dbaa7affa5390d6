"""The brand's dashboard in the console: for the whole brand, or one challenge
(with its rounds: one at a time, or two side by side).

Everyone on the console team sees it (owner, admin, moderator); jurors get
403 and people outside the team 404, as on every console page. Each panel
comes from one selector of insights.selectors, in a fixed number of queries."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign
from core.permissions import CONSOLE_ROLES, console_view
from core.views import in_tenant_time_zone
from ideas import selectors as idea_selectors
from insights.charts import LineChart, Series, bar_length
from insights.forms import DashboardFilters
from insights.labels import round_label
from insights.selection import Selection, local_day
from insights.selectors import ideas, jury, moderation, participation, people, prizes, rounds


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


@require_GET
@console_view(*CONSOLE_ROLES)
@in_tenant_time_zone
def idea_sources(request, slug, public_id):
    """Where the visits, sign-ups and votes of one idea of the challenge came from."""
    campaign = campaign_selectors.campaign_for_console(request, slug)
    idea = idea_selectors.idea_for_console(request, public_id)
    if idea.campaign_id != campaign.pk:
        raise Http404
    found = participation.sources(campaign=campaign, idea=idea)
    most = max((row["visits"] for row in found), default=0)
    return render(
        request,
        "insights/idea_sources.html",
        {
            "campaign": campaign,
            "idea": idea,
            "sources": [(row, bar_length(row["visits"], most)) for row in found],
        },
    )


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
    comparison = rounds.compare_rounds(selection=selection)
    for side in comparison:
        side["funnel"] = funnel_rows(
            participation.funnel(campaign=selection.campaign, round=side["round"])
        )
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
        "comparison": comparison,
        **participation_panels(selection, boundaries),
        "round_boundaries": boundaries,
        "round_chosen": round_label(selection.round) if selection.round else "",
        "compare_chosen": round_label(selection.compare) if selection.compare else "",
    }


# What each chart of participation draws: (title, [(series, label, colour)]).
DAILY_CHARTS = (
    (
        gettext_lazy("Visitors and sign-ups per day"),
        [
            ("visitors", gettext_lazy("Visitors"), "series-1"),
            ("signups", gettext_lazy("Sign-ups"), "series-2"),
            ("consents", gettext_lazy("Accepted the terms"), "series-3"),
        ],
    ),
    (
        gettext_lazy("Contributions per day"),
        [
            ("ideas", gettext_lazy("Ideas"), "series-1"),
            ("votes", gettext_lazy("Votes"), "series-2"),
            ("comments", gettext_lazy("Comments"), "series-3"),
            ("shares", gettext_lazy("Shares"), "series-4"),
        ],
    ),
    (
        gettext_lazy("Since the start (cumulative)"),
        [
            ("cumulative_ideas", gettext_lazy("Ideas"), "series-1"),
            ("cumulative_votes", gettext_lazy("Votes"), "series-2"),
            ("cumulative_comments", gettext_lazy("Comments"), "series-3"),
            ("cumulative_signups", gettext_lazy("Sign-ups"), "series-4"),
        ],
    ),
)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def funnel_rows(steps: list[dict]) -> list[dict]:
    first = steps[0]["count"] if steps else 0
    return [
        {
            **step,
            "from_previous": _percent(step["rate_from_previous"]),
            "from_first": _percent(step["rate_from_first"]),
            "length": bar_length(step["count"], max(first, max(s["count"] for s in steps))),
        }
        for step in steps
    ]


def participation_panels(selection: Selection, boundaries) -> dict:
    """The daily figures (the brand's or the challenge's) and, for a challenge,
    its funnel, sources and audience (from insights.selectors.participation)."""
    series = participation.daily_series(
        campaign=selection.campaign,
        tenant=selection.tenant,
        start=selection.start_day,
        end=selection.end_day,
    )
    days = [point["day"] for point in series]
    charts = [
        (
            title,
            LineChart(
                days=days,
                series=[Series(label, [p[key] for p in series], css) for key, label, css in lines],
                markers=boundaries,
            ),
        )
        for title, lines in DAILY_CHARTS
    ]
    result = {"participation_charts": charts, "funnel": [], "sources": [], "audience": None}
    if selection.campaign is None:
        return result
    result["funnel"] = funnel_rows(
        participation.funnel(campaign=selection.campaign, round=selection.round)
    )
    found = participation.sources(campaign=selection.campaign)
    most = max((row["visits"] for row in found), default=0)
    result["sources"] = [(row, bar_length(row["visits"], most)) for row in found]
    result["audience"] = audience_rows(participation.audience(campaign=selection.campaign))
    return result


def audience_rows(figures: dict) -> list[tuple[str, list]]:
    """The audience as (title, [(label, count, bar)]) groups, each bar out of its group."""
    labels = {
        "new": _("New visitors"),
        "returning": _("Returning visitors"),
        "unknown": _("Not signed in (cannot tell)"),
        "phone": _("Phone"),
        "tablet": _("Tablet"),
        "desktop": _("Computer"),
        "employees": _("Your employees"),
        "customers": _("Customers and the public"),
    }
    languages = dict(settings.LANGUAGES)
    groups = [
        (_("New or returning"), [(labels[k], v) for k, v in figures["visitors"].items()]),
        (_("Device"), [(labels[k], v) for k, v in figures["devices"].items()]),
        (
            _("Language"),
            [
                (str(languages.get(row["code"], row["code"])), row["visitors"])
                for row in figures["languages"]
            ],
        ),
        (_("People who took part"), [(labels[k], v) for k, v in figures["people"].items()]),
    ]
    return [
        (
            title,
            [(label, count, bar_length(count, sum(c for _l, c in rows))) for label, count in rows],
        )
        for title, rows in groups
    ]
