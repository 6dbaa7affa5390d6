"""Insights' writes, one module per topic; import from here.

visits.py         page views from the Redis queue into PageView rows
figures.py        a day's figures rebuilt, the people's rounds, the funnels
exports.py        the tenant's pseudonym key (made on first use)
reports.py        the weekly report: claimed once per tenant and week, then sent
"""

from insights.services.exports import pseudonym, pseudonym_key
from insights.services.figures import (
    day_bounds,
    figures_refresh,
    funnel_refresh,
    local_day,
)
from insights.services.reports import weekly_report_send, weekly_reports_send_due
from insights.services.visits import brand_domains, source_of, visits_drain

__all__ = [
    "brand_domains",
    "day_bounds",
    "figures_refresh",
    "funnel_refresh",
    "local_day",
    "pseudonym",
    "pseudonym_key",
    "source_of",
    "visits_drain",
    "weekly_report_send",
    "weekly_reports_send_due",
]
