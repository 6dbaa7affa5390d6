"""Jury progress: per round that reached its jury, the assignments scored out
of those to score (recused ones set apart)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from insights.selection import Selection
from insights.selectors.common import share
from juries.models import Assignment


@dataclass
class RoundProgress:
    campaign_title: str
    round_index: int
    round_kind: str
    round_state: str
    total: int
    submitted: int
    recused: int

    @property
    def to_score(self) -> int:
        """Assignments expected: every one but the recused."""
        return self.total - self.recused

    @property
    def pending(self) -> int:
        return self.to_score - self.submitted

    @property
    def percent(self) -> float | None:
        return share(self.submitted, self.to_score)


def jury_progress(*, selection: Selection) -> list[RoundProgress]:
    """One query: the assignments grouped by round, latest rounds first."""
    rows = Assignment.objects.filter(tenant=selection.tenant)
    if selection.campaign is not None:
        rows = rows.filter(round__campaign=selection.campaign)
    chosen = [r.pk for r in (selection.round, selection.compare) if r is not None]
    if chosen:
        rows = rows.filter(round_id__in=chosen)
    rows = (
        rows.values(
            "round_id", "round__index", "round__kind", "round__state", "round__campaign__title"
        )
        .annotate(
            total=Count("id"),
            submitted=Count("id", filter=Q(state=Assignment.State.SUBMITTED)),
            recused=Count("id", filter=Q(state=Assignment.State.RECUSED)),
        )
        .order_by("-round__starts_at", "-round_id")
    )
    return [
        RoundProgress(
            campaign_title=row["round__campaign__title"],
            round_index=row["round__index"],
            round_kind=row["round__kind"],
            round_state=row["round__state"],
            total=row["total"],
            submitted=row["submitted"],
            recused=row["recused"],
        )
        for row in rows
    ]
