from django import template

from campaigns.money import format_number

register = template.Library()


@register.filter
def number(value):
    """{{ 12345|number }} → "12,345" (en), "12 345" (fr), "12.345" (es)."""
    if value in (None, ""):
        return "—"
    return format_number(value)


@register.filter
def signed(value):
    """A change with its sign: "+3", "-2" (with a true minus sign), "0"."""
    if not value:
        return "0"
    return f"+{format_number(value)}" if value > 0 else f"\u2212{format_number(-value)}"
