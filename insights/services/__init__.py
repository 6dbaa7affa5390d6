"""Insights' writes, one module per topic; import from here.

exports.py        the tenant's pseudonym key (made on first use)
reports.py        the weekly report: claimed once per tenant and week, then sent
"""

from insights.services.exports import pseudonym, pseudonym_key
from insights.services.reports import weekly_report_send, weekly_reports_send_due

__all__ = ["pseudonym", "pseudonym_key", "weekly_report_send", "weekly_reports_send_due"]
