"""Template tags of the jury.

{% load juries %}
{% jury_link_visible as show %}   the header's "Jury" link, for jurors
"""

from django import template

from accounts.models import Membership
from core.permissions import role_of

register = template.Library()


@register.simple_tag(takes_context=True)
def jury_link_visible(context) -> bool:
    """True for the tenant's jurors. No query of its own: the header has already
    asked for the person's role, which is cached for the request. (Console
    members reach their jury dashboard from the console's "Juries" page.)"""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if request is None or tenant is None:
        return False
    return role_of(request.user, tenant) == Membership.Role.JUROR
