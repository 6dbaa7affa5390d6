"""The dashboard's participation figures: the daily series, the rounds to mark
on it, the funnel, the sources and the audience.

Each reads the aggregate tables folded by the beat task (services.figures;
today's rows are rebuilt every minute), in a fixed number of queries whatever
the size of the challenge: a series is two queries, a funnel two, sources one,
the audience two, the round boundaries one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign, Round
from insights.models import DailyAudience, DailyFigures, DailySource, FunnelFigures, Source
from insights.services.figures import local_day

SERIES = ("visitors", "signups", "consents", "ideas", "votes", "comments", "shares")

FUNNEL_STEPS = (
    ("visitors", gettext_lazy("Visitors of the challenge")),
    ("signed_in", gettext_lazy("Signed in")),
    ("consented", gettext_lazy("Accepted the terms")),
    ("submitted", gettext_lazy("Submitted an idea")),
    ("voted", gettext_lazy("Voted")),
    ("came_back", gettext_lazy("Came back in a later round")),
)


def _figures(*, tenant, campaign: Campaign | None):
    rows = DailyFigures.objects.filter(tenant_id=getattr(tenant, "pk", tenant))
    if campaign is None:
        return rows.filter(campaign__isnull=True)
    return rows.filter(campaign=campaign)


def daily_series(
    *, campaign: Campaign | None = None, tenant, start: dt.date, end: dt.date
) -> list[dict]:
    """One dict per day from `start` to `end` (both included, tenant-local days):
    day, visitors, signups, consents, ideas, votes, comments, shares, page_views,
    and cumulative_<each> counted from the very first day (not from `start`).
    `campaign` None: the whole brand. Two queries."""
    rows = _figures(tenant=tenant, campaign=campaign)
    names = (*SERIES, "page_views")
    before = rows.filter(day__lt=start).aggregate(
        **{name: Coalesce(Sum(name), 0) for name in names}
    )
    by_day = {
        row["day"]: row for row in rows.filter(day__gte=start, day__lte=end).values("day", *names)
    }
    running = dict(before)
    series = []
    day = start
    while day <= end:
        row = by_day.get(day, {})
        point = {"day": day}
        for name in names:
            value = row.get(name, 0)
            running[name] += value
            point[name] = value
            point[f"cumulative_{name}"] = running[name]
        series.append(point)
        day += dt.timedelta(days=1)
    return series


def _round_name(round_: Round) -> str:
    if round_.kind == Round.Kind.GRAND:
        return _("Grand round")
    return _("Round %(number)s") % {"number": round_.index}


def round_boundaries(*, campaign: Campaign) -> list[dict]:
    """The rounds to mark on a series: number, name, kind, starts/ends (aware
    datetimes) and start_day/end_day (tenant-local days, end_day included).
    One query."""
    return [
        {
            "number": round_.index,
            "name": _round_name(round_),
            "kind": round_.kind,
            "public_id": round_.public_id,
            "starts": round_.starts_at,
            "ends": round_.ends_at,
            "start_day": local_day(round_.tenant, round_.starts_at),
            "end_day": local_day(round_.tenant, round_.ends_at - dt.timedelta(microseconds=1)),
        }
        for round_ in campaign_selectors.rounds_of(campaign=campaign)
    ]


def _rate(count: int, of: int) -> float | None:
    return None if not of else count / of


def funnel(*, campaign: Campaign, round: Round | None = None) -> list[dict]:
    """visitors → signed in → accepted the terms → submitted → voted → came back
    in a later round, for the whole challenge or one round: each step is
    {step, label, count, rate_from_previous, rate_from_first} (rates as floats,
    None when the step before has nobody). Visitors are the sum of the daily
    visitors (a visitor key lasts one day); the other steps count people. The
    steps are not subsets — voting needs no idea of one's own — so "voted" can
    exceed "submitted" (a rate above 1).
    Two queries."""
    tenant = campaign.tenant_id
    visits = _figures(tenant=tenant, campaign=campaign)
    if round is not None:
        tenant = campaign.tenant  # its time zone says which days the round covers
        visits = visits.filter(
            day__gte=local_day(tenant, round.starts_at),
            day__lte=local_day(tenant, round.ends_at - dt.timedelta(microseconds=1)),
        )
    visitors = visits.aggregate(n=Coalesce(Sum("visitors"), 0))["n"]
    people = (
        FunnelFigures.objects.filter(tenant_id=campaign.tenant_id, campaign=campaign)
        .filter(Q(round=round) if round is not None else Q(round__isnull=True))
        .values("signed_in", "consented", "submitted", "voted", "came_back")
        .first()
    ) or {}
    counts = {"visitors": visitors, **people}
    steps, first, previous = [], None, None
    for step, label in FUNNEL_STEPS:
        count = counts.get(step, 0)
        first = count if first is None else first
        steps.append(
            {
                "step": step,
                "label": str(label),
                "count": count,
                "rate_from_previous": None if previous is None else _rate(count, previous),
                "rate_from_first": _rate(count, first),
            }
        )
        previous = count
    return steps


def sources(*, campaign: Campaign, idea=None) -> list[dict]:
    """Visits, sign-ups and votes per source ({source, label, visits, signups,
    votes}), of the challenge or of one of its ideas, most visits first. One query."""
    rows = DailySource.objects.filter(tenant_id=campaign.tenant_id, campaign=campaign)
    rows = rows.filter(idea=idea) if idea is not None else rows.filter(idea__isnull=True)
    totals = (
        rows.values("source")
        .annotate(visits=Sum("visits"), signups=Sum("signups"), votes=Sum("votes"))
        .order_by("-visits", "-votes", "source")
    )
    labels = dict(Source.choices)
    return [
        {
            "source": row["source"],
            "label": str(labels.get(row["source"], row["source"])),
            "visits": row["visits"],
            "signups": row["signups"],
            "votes": row["votes"],
        }
        for row in totals
    ]


def audience(*, campaign: Campaign) -> dict:
    """Who came: visitors new / returning / unknown (only signed-in people can
    be known again), by device and by language (summed daily visitors); people
    who took part, as the brand's employees or customers. Two queries.

        {"visitors": {"new", "returning", "unknown"},
         "devices": {"phone", "tablet", "desktop"},
         "languages": [{"code", "visitors"}, …] most first,
         "people": {"employees", "customers"}}
    """
    tenant = campaign.tenant_id
    result = {
        "visitors": {"new": 0, "returning": 0, "unknown": 0},
        "devices": {"phone": 0, "tablet": 0, "desktop": 0},
        "languages": [],
        "people": {"employees": 0, "customers": 0},
    }
    rows = (
        DailyAudience.objects.filter(tenant_id=tenant, campaign=campaign)
        .values("dimension", "value")
        .annotate(visitors=Sum("visitors"))
        .order_by("dimension", "-visitors", "value")
    )
    for row in rows:
        if row["dimension"] == "visitor":
            result["visitors"][row["value"]] = row["visitors"]
        elif row["dimension"] == "device":
            result["devices"][row["value"]] = row["visitors"]
        elif row["dimension"] == "language":
            result["languages"].append({"code": row["value"], "visitors": row["visitors"]})
    whole = (
        FunnelFigures.objects.filter(tenant_id=tenant, campaign=campaign, round__isnull=True)
        .values("signed_in", "employees")
        .first()
    )
    if whole:
        result["people"] = {
            "employees": whole["employees"],
            "customers": whole["signed_in"] - whole["employees"],
        }
    return result
