"""The jury's CSV exports: a round's scores, and a challenge's decisions.

Blind like the jury's pages: ideas are named by their title and their
shortlist entry's id, never by their author. Private notes are never
exported. A cell that a spreadsheet would read as a formula (=, +, -, @) is
written with a leading apostrophe.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from juries import selectors
from juries.models import Decision, Shortlist

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.2f}"
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _response(rows: list[list], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def scores_csv(shortlist: Shortlist) -> HttpResponse:
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


def decisions_csv(campaign) -> HttpResponse:
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
