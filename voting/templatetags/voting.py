"""Template tags of voting, for the idea pages' slots (ideas.extensions).

{% load voting %}
{% vote_button idea campaign %}   the vote button, its count and its answer
"""

from django import template

register = template.Library()


@register.inclusion_tag("voting/_button.html", takes_context=True)
def vote_button(context, idea, campaign=None):
    from voting.views.public import button_context

    return button_context(context["request"], idea, campaign)


@register.simple_tag(takes_context=True)
def first_on_page(context, key):
    """{% first_on_page "voting-js" as first %}: True the first time a page asks,
    so a script the buttons share is loaded once however many cards there are."""
    request = context.get("request")
    if request is None:
        return True
    seen = request.__dict__.setdefault("_first_on_page", set())
    if key in seen:
        return False
    seen.add(key)
    return True
