"""Template tags of rewards, for the slots of the challenge and idea pages.

{% load rewards %}
{% challenge_winners campaign %}   the winners of announced rounds, with their shares
{% top_contributors campaign %}    the five most active contributors (cached leaderboard)
{% idea_awards idea %}             the prizes an idea won and how each is shared

The home page lists past challenges, each with its winners: the first
`challenge_winners` of a request loads the winners of every challenge on the
page at once, so the page's query count does not grow with its cards.
"""

from django import template

from rewards import selectors

register = template.Library()


def _page_campaigns(context) -> list:
    campaigns = []
    for key in ("past_cards", "open_cards", "upcoming_cards"):
        campaigns += [card["campaign"] for card in context.get(key) or []]
    return campaigns


@register.inclusion_tag("rewards/_winners.html", takes_context=True)
def challenge_winners(context, campaign):
    request = context.get("request")
    loaded = getattr(request, "_rewards_winners", None) if request is not None else None
    if loaded is None or campaign.pk not in loaded:
        campaigns = {c.pk: c for c in [*_page_campaigns(context), campaign]}
        loaded = {pk: [] for pk in campaigns}
        loaded.update(selectors.winners_by_campaign(campaigns.values()))
        if request is not None:
            request._rewards_winners = loaded
    return {
        "campaign": campaign,
        "winners": loaded.get(campaign.pk, []),
        "compact": bool(context.get("card")),
    }


@register.inclusion_tag("rewards/_top_contributors.html", takes_context=True)
def top_contributors(context, campaign):
    return {
        "campaign": campaign,
        "rows": selectors.leaderboard(tenant=campaign.tenant, campaign=campaign, limit=5),
    }


@register.inclusion_tag("rewards/_idea_awards.html")
def idea_awards(idea):
    return {"winners": selectors.awards_of_idea(idea)}
