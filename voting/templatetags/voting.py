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
