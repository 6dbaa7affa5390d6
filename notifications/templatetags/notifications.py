"""`{% notifications_bell %}` for the header, and `as_datetime` for e-mail templates."""

from django import template
from django.utils.dateparse import parse_datetime

from notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/partials/bell.html", takes_context=True)
def notifications_bell(context):
    """The bell and its unread count, for a signed-in person on a tenant's site
    (renders nothing elsewhere). One COUNT query on an index."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": selectors.unread_count(tenant=tenant, user=user)}


@register.filter
def as_datetime(value):
    """An ISO 8601 string (how dates travel in a notification's context) as a datetime."""
    if isinstance(value, str):
        return parse_datetime(value)
    return value
