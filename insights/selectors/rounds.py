"""Two rounds of a challenge side by side: what each produced."""

from __future__ import annotations

import dataclasses

from insights.labels import round_label
from insights.selection import Selection, last_local_day, local_day
from insights.selectors.ideas import top_ideas
from insights.selectors.people import activity
from insights.selectors.prizes import prize_spend


def round_selection(selection: Selection, round_) -> Selection:
    """The selection narrowed to one round's days."""
    return dataclasses.replace(
        selection,
        round=round_,
        compare=None,
        start_day=local_day(round_.starts_at, selection.tz),
        end_day=last_local_day(round_.ends_at, selection.tz),
    )


def compare_rounds(*, selection: Selection) -> list[dict]:
    """[first, second]: each round's activity, prize spend and best ideas
    (a fixed number of queries per round). Empty when no pair is chosen."""
    if selection.round is None or selection.compare is None:
        return []
    return [
        {
            "round": round_,
            "label": round_label(round_),
            "activity": activity(selection=(narrowed := round_selection(selection, round_))),
            "spend": prize_spend(selection=narrowed),
            "top": top_ideas(selection=narrowed, limit=3),
        }
        for round_ in (selection.round, selection.compare)
    ]
