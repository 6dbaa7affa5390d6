"""Template helpers of insights' e-mails."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """ "2026-11-23" (as the report's figures store dates) → a date, for `|date`."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
