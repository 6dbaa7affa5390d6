"""The jury's CSV exports: a round's scores, and a challenge's decisions.

Blind like the jury's pages: ideas are named by their title and their
shortlist entry's id, never by their author. Private notes are never
exported. Written by core.exports: formulas defused, the file streamed.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exports import Table, csv_response
from juries import selectors
from juries.models import Decision, Shortlist


def _two_decimals(value):
    """Scores and aggregates as the jury's pages show them: 80.00."""
    return f"{value:.2f}" if isinstance(value, float) else value


def _response(rows: list[list], filename: str):
    header, *lines = rows
    lines = [[_two_decimals(v) for v in line] for line in lines]
    return csv_response(Table(filename=filename.removesuffix(".csv"), header=header, rows=lines))


def scores_csv(shortlist: Shortlist):
    """One line per juror and idea: the score per criterion, the weighted score
    (0-100), or the conflict of interest declared."""
    criteria = selectors.criteria_of(shortlist)
    header = [
        _("Idea"),
        _("Idea id"),
        _("Juror"),
        _("State"),
        *[f"{c.name} ({c.weight} %, {c.scale_min}-{c.scale_max})" for c in criteria],
        _("Weighted score (0-100)"),
        _("Conflict of interest"),
        _("Date"),
    ]
    rows = [header]
    for row in selectors.round_scores_rows(shortlist):
        rows.append(
            [
                row["idea_title"],
                row["entry"],
                row["juror_name"],
                row["state"],
                *[row["values"].get(c.name) for c in criteria],
                row["score"],
                row["reason"],
                row["at"],
            ]
        )
    round_ = shortlist.round
    name = f"{slugify(round_.campaign.slug)}-round-{round_.index}-scores.csv"
    return _response(rows, name)


def decisions_csv(campaign):
    """One line per winner of every decided round of a challenge."""
    header = [
        _("Round"),
        _("Decided at"),
        _("Decided by"),
        _("Decision"),
        _("Reason"),
        _("Prize place"),
        _("Idea"),
        _("Idea id"),
        _("Aggregate"),
        _("Method"),
        _("Proposed by the aggregate"),
        _("Assignments not submitted"),
    ]
    rows = [header]
    for decision in selectors.decisions_of(campaign):
        frozen = {row["idea"]: row for row in decision.aggregate.get("ideas", [])}
        titles = {row["entry"]: row["title"] for row in decision.aggregate.get("ideas", [])}
        proposed = "; ".join(titles.get(p, p) for p in decision.proposed)
        for winner in decision.winners.all():
            row = frozen.get(str(winner.idea.public_id), {})
            rows.append(
                [
                    decision.round.index,
                    decision.decided_at.isoformat(),
                    decision.decided_by.public_name if decision.decided_by else "",
                    Decision.Kind(decision.kind).label,
                    decision.reason,
                    winner.rank,
                    winner.idea.title,
                    row.get("entry", ""),
                    row.get("aggregate"),
                    decision.aggregate.get("method", ""),
                    proposed,
                    decision.missing_assignments,
                ]
            )
    return _response(rows, f"{slugify(campaign.slug)}-jury-decisions.csv")
