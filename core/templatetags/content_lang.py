"""The language of what people and brands write, when it differs from the
interface's: {% load content_lang %} … <h1{% content_lang %}>{{ idea.title }}</h1>.

Ideas, comments and challenges carry no language of their own: they are
written in the brand's language (the tenant's default). A visitor who reads
ING's Spanish ideas with the interface in English gets `lang="es"` on them, so
screen readers pronounce them as Spanish and browsers offer to translate them."""

from django import template
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def content_lang(context):
    tenant = getattr(context.get("request"), "tenant", None)
    if tenant is None or not tenant.default_language:
        return ""
    language = tenant.default_language
    if (translation.get_language() or "").split("-")[0] == language.split("-")[0]:
        return ""
    return format_html(' lang="{}"', language)
