"""Top ideas of the selection: the counted votes they received in the period,
their trend, the comments they got, and their jury score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum

from ideas.models import Comment, Idea
from insights.selection import Selection
from insights.selectors.common import campaign_q, period_q
from juries.models import Assignment, Score
from voting.models import Vote

TREND_DAYS = 7


@dataclass
class TopIdea:
    public_id: str
    title: str
    campaign_title: str
    state: str
    votes: int
    recent: int  # votes of the period's last TREND_DAYS days
    before: int  # votes of the TREND_DAYS days before those
    comments: int = 0
    jury_score: float | None = None  # 0-100, the mean of its jurors' weighted scores

    @property
    def trend(self) -> int:
        return self.recent - self.before

    @property
    def state_label(self) -> str:
        return str(Idea.State(self.state).label)


def top_ideas(*, selection: Selection, limit: int = 10) -> list[TopIdea]:
    """The ideas with most counted votes in the period (three queries)."""
    recent_from = selection.end - dt.timedelta(days=TREND_DAYS)
    before_from = recent_from - dt.timedelta(days=TREND_DAYS)
    rows = (
        Vote.objects.filter(
            campaign_q(selection, "idea__campaign"),
            period_q(selection, "cast_at"),
            tenant=selection.tenant,
            status=Vote.Status.COUNTED,
        )
        .values("idea_id", "idea__public_id", "idea__title", "idea__state", "idea__campaign__title")
        .annotate(
            votes=Count("id"),
            recent=Count("id", filter=Q(cast_at__gte=recent_from)),
            before=Count("id", filter=Q(cast_at__gte=before_from, cast_at__lt=recent_from)),
        )
        .order_by("-votes", "idea_id")[:limit]
    )
    top = {
        row["idea_id"]: TopIdea(
            public_id=str(row["idea__public_id"]),
            title=row["idea__title"],
            campaign_title=row["idea__campaign__title"],
            state=row["idea__state"],
            votes=row["votes"],
            recent=row["recent"],
            before=row["before"],
        )
        for row in rows
    }
    if not top:
        return []
    comments = (
        Comment.objects.filter(
            period_q(selection, "created_at"),
            tenant=selection.tenant,
            idea_id__in=top,
            state=Comment.State.PUBLISHED,
        )
        .values("idea_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in comments:
        top[row["idea_id"]].comments = row["n"]
    for idea_id, score in jury_scores(tenant=selection.tenant, idea_ids=list(top)).items():
        top[idea_id].jury_score = score
    return list(top.values())


def jury_scores(*, tenant, idea_ids) -> dict[int, float]:
    """{idea id: jury score 0-100} over submitted assignments, every round
    together (one query): each score on a 0-100 scale, weighted by its
    criterion — the jury's own aggregate without normalisation."""
    scaled = ExpressionWrapper(
        100.0
        * F("criterion__weight")
        * (F("value") - F("criterion__scale_min"))
        / (F("criterion__scale_max") - F("criterion__scale_min")),
        output_field=FloatField(),
    )
    rows = (
        Score.objects.filter(
            tenant=tenant,
            assignment__idea_id__in=idea_ids,
            assignment__state=Assignment.State.SUBMITTED,
        )
        .values("assignment__idea_id")
        .annotate(points=Sum(scaled), weights=Sum("criterion__weight"))
        .order_by()
    )
    return {
        row["assignment__idea_id"]: round(row["points"] / row["weights"], 1)
        for row in rows
        if row["weights"]
    }
