"""Insights' reads, one module per topic; import from here.

participation.py  the daily series, round boundaries, funnel, sources, audience

The dashboard's other panels, each in a fixed number of queries whatever the
number of ideas, votes and people (import the module: `selectors.moderation`):

ideas.py          top ideas: votes, trend, comments, jury score
people.py         the period's activity and its most active people
moderation.py     the queue over time, the wait for a decision, holds, flags
jury.py           assignments scored per round
prizes.py         promised, awarded, approved, paid
rounds.py         two rounds side by side
"""

from insights.selectors.participation import (
    FUNNEL_STEPS,
    SERIES,
    audience,
    daily_series,
    funnel,
    round_boundaries,
    sources,
)

__all__ = [
    "FUNNEL_STEPS",
    "SERIES",
    "audience",
    "daily_series",
    "funnel",
    "round_boundaries",
    "sources",
]
