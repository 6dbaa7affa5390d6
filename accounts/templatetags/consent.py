"""{% public_name user %}: the name a person goes by in this tenant."""

from django import template

from accounts import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def public_name(context, user):
    tenant = context["request"].tenant
    return selectors.public_names(tenant=tenant, user_ids=[user.pk])[user.pk]
