"""Template helpers of insights' pages and e-mails: dates of the report's
figures, numbers and shares in the page's language."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import translation

from campaigns.money import NBSP, STYLES, format_number

register = template.Library()


@register.filter
def isodate(value):
    """ "2026-11-23" (as the report's figures store dates) → a date, for `|date`."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _language() -> str:
    return (translation.get_language() or "en")[:2]


@register.filter
def number(value):
    """A figure in the page's language, with the decimals it has: 12345 →
    "12,345" (en), "12 345" (fr), "12.345" (es); 57.8 → "57.8", "57,8"."""
    if value in (None, ""):
        return "—"
    text = format_number(Decimal(str(value)))
    decimal_sep = STYLES.get(_language(), STYLES["en"])[0]
    whole, sep, decimals = text.partition(decimal_sep)
    decimals = decimals.rstrip("0")
    return f"{whole}{decimal_sep}{decimals}" if sep and decimals else whole


@register.filter
def share(value):
    """A percentage: 66.7 → "66.7%" (en), "66,7 %" (fr, es); None → "—"."""
    if value in (None, ""):
        return "—"
    return f"{number(value)}{NBSP}%" if _language() in ("fr", "es") else f"{number(value)}%"


@register.filter
def signed(value):
    """A change with its sign: "+3", "-2" (with a true minus sign), "0"."""
    if not value:
        return "0"
    return f"+{number(value)}" if value > 0 else f"\u2212{number(-value)}"
