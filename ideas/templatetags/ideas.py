"""Template tags of ideas, for the challenge page (composed from each app's
tags) and ideas' own pages.

    {% load ideas %}
    {% idea_gallery campaign %}     the gallery: filters, sorts, search, cards
    {% idea_card idea %}            one card (the gallery's, or anywhere else)
    {% idea_counts campaign %}      ideas, comments and contributors
    {% idea_outcomes campaign %}    "What became of the ideas" (nothing when none moved)
    {% challenge_share campaign %}  share links of a challenge's page
    {% idea_sections "card_actions" as templates %}   what higher apps add
    {{ idea.media.thumbnail|media_url }}
"""

from django import template

from ideas import extensions, selectors

register = template.Library()


@register.inclusion_tag("ideas/public/_gallery.html", takes_context=True)
def idea_gallery(context, campaign):
    from ideas.views.public import gallery_context

    request = context["request"]
    return {"request": request, "user": context.get("user"), **gallery_context(request, campaign)}


@register.inclusion_tag("ideas/public/_card.html", takes_context=True)
def idea_card(context, idea, campaign=None):
    return {
        "request": context["request"],
        "idea": idea,
        "campaign": campaign or idea.campaign,
        "card_actions": extensions.sections("card_actions"),
    }


@register.inclusion_tag("ideas/public/_counts.html")
def idea_counts(campaign):
    return {"counts": selectors.campaign_counts(campaign), "campaign": campaign}


@register.inclusion_tag("ideas/public/_outcomes.html")
def idea_outcomes(campaign):
    return {"groups": selectors.outcomes(campaign), "campaign": campaign}


@register.inclusion_tag("ideas/public/_challenge_share.html", takes_context=True)
def challenge_share(context, campaign):
    """Share links for a challenge's page (its Open Graph tags are the page's)."""
    from django.urls import reverse

    from ideas.sharing import share_links, with_source

    request = context["request"]
    url = request.build_absolute_uri(reverse("campaigns:detail", kwargs={"slug": campaign.slug}))
    links = share_links(url, campaign.title)
    return {
        "share": {
            "url": url,
            "title": campaign.title,
            "links": links,
            "copy_url": with_source(url, "link"),
        }
    }


@register.simple_tag
def idea_sections(slot):
    return extensions.sections(slot)


@register.filter
def media_url(stored):
    """The URL of a stored rendition, or "" (no file, or no URL from storage)."""
    if not stored:
        return ""
    try:
        return stored.url
    except ValueError:
        return ""


@register.filter
def hold_label(code):
    from ideas.models import Idea

    try:
        return Idea.Hold(code).label
    except ValueError:
        return code


@register.filter
def stage_label(code):
    """An idea's stage in words, in the active language (notifications store the code)."""
    from ideas.models import Idea

    try:
        return Idea.Stage(code).label
    except ValueError:
        return code
