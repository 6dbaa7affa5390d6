"""{% consent_gate %}: the tenant's terms, inline, for a person who has not
accepted the current version; a sign-in prompt for a visitor; nothing otherwise.

{% public_name user %}: the name a person goes by in this tenant.
"""

from django import template

from accounts import selectors
from accounts.consent import gate_context

register = template.Library()


@register.inclusion_tag("accounts/consent/gate.html", takes_context=True)
def consent_gate(context, next_url=None):
    request = context["request"]
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return {"state": "none"}
    if not request.user.is_authenticated:
        return {"state": "sign_in", "next": next_url or request.get_full_path()}
    if selectors.has_accepted_current_terms(request.user, tenant):
        return {"state": "none"}
    return {"state": "ask", "tenant": tenant, "csrf_token": context.get("csrf_token")} | (
        gate_context(request, next_url=next_url or request.get_full_path())
    )


@register.simple_tag(takes_context=True)
def public_name(context, user):
    tenant = context["request"].tenant
    return selectors.public_names(tenant=tenant, user_ids=[user.pk])[user.pk]
