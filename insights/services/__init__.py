"""Insights' writes, one module per topic; import from here.

visits.py         page views from the Redis queue into PageView rows
figures.py        a day's figures rebuilt, the people's rounds, the funnels
"""

from insights.services.figures import (
    day_bounds,
    figures_refresh,
    funnel_refresh,
    local_day,
)
from insights.services.visits import brand_domains, source_of, visits_drain

__all__ = [
    "brand_domains",
    "day_bounds",
    "figures_refresh",
    "funnel_refresh",
    "local_day",
    "source_of",
    "visits_drain",
]
