"""Insights' reads, one module per topic; import from here.

participation.py  the daily series, round boundaries, funnel, sources, audience
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
