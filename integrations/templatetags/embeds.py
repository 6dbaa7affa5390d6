"""{% oembed_discovery url title %}: the <link> that tells CMSs where to ask
how a pasted link of this page unfolds (integrations.views.embeds.oembed)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def oembed_discovery(context, url: str, title: str = ""):
    request = context["request"]
    endpoint = request.build_absolute_uri(reverse("oembed"))
    query = urlencode({"url": url, "format": "json"})
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}?{}" title="{}">',
        endpoint,
        query,
        title,
    )
