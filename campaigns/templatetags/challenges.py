"""Template helpers of the challenge pages: money, deadlines, and the slots
other apps fill (see campaigns.extensions)."""

from decimal import Decimal

from django import template

from campaigns import extensions
from campaigns.money import format_money, format_percent
from campaigns.plain_rules import deadline_local as _deadline_local
from campaigns.plain_rules import format_deadline

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    """{{ prize.amount|money:prize.currency }} → "€500" (en), "500 €" (fr, es)."""
    if amount in (None, ""):
        return ""
    return format_money(amount, currency)


@register.filter
def percent(value):
    """{{ share.percent|percent }} → "50%" (en), "50 %" (fr, es), "33,33 %"."""
    if value in (None, ""):
        return ""
    return format_percent(value)


@register.filter
def basis_points(share_bp):
    """{{ payout.share_bp|basis_points }}: a share kept in basis points (5000),
    shown as a percentage ("50 %")."""
    if share_bp in (None, ""):
        return ""
    return format_percent(Decimal(share_bp) / 100)


@register.filter
def deadline(moment, time_zone):
    """{{ round.ends_at|deadline:tenant.time_zone }} → "30 March 2030 at 23:59"."""
    if not moment:
        return ""
    return format_deadline(moment, time_zone)


@register.filter
def deadline_local(moment, time_zone):
    """The moment as people read a deadline: midnight shows as 23:59 the day before."""
    if not moment:
        return moment
    return _deadline_local(moment, time_zone)


@register.simple_tag
def section_templates(slot):
    """{% section_templates "winners" as templates %}: what other apps put in a slot."""
    return extensions.sections(slot)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
