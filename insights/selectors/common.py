"""Filters every panel shares: the rows of the selection's brand, challenge,
round and period."""

from __future__ import annotations

from django.db.models import Aggregate, FloatField, Func, Q

from insights.selection import Selection


class Median(Aggregate):
    """PostgreSQL's exact median of a numeric expression."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Seconds(Func):
    """An interval in seconds."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def campaign_q(selection: Selection, path: str = "campaign") -> Q:
    """Rows of the selection's challenge (all the brand's when none)."""
    if selection.campaign is None:
        return Q()
    return Q(**{path: selection.campaign})


def period_q(selection: Selection, field: str) -> Q:
    """Rows whose `field` falls in the period (and in the round, when one is chosen)."""
    q = Q(**{f"{field}__gte": selection.start, f"{field}__lt": selection.end})
    if selection.round is not None:
        q &= Q(
            **{f"{field}__gte": selection.round.starts_at, f"{field}__lt": selection.round.ends_at}
        )
    return q


def share(part, whole) -> float | None:
    """part / whole as a percentage, None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None
