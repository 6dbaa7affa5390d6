from django import template

from tenants.branding import readable_text_on

register = template.Library()


@register.filter
def text_on(background: str) -> str:
    """`{{ tenant.primary_colour|text_on }}` → the readable text colour on it."""
    return readable_text_on(background or "#1f4fd1")
