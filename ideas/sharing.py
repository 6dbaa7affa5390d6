"""What a shared link shows (Open Graph and Twitter card tags) and the share
buttons: plain links to each network's share page (no third-party script),
plus "copy the link" (static/ideas/js/ideas.js).

Each shared address carries `?src=<network>` ("link" for a copied one), so the
dashboard can say which network brought a visit without any tracker; the
page's canonical address (Open Graph) stays without it."""

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.http import Http404
from django.utils.text import Truncator

from ideas import selectors, video_links
from ideas.models import Idea
from integrations.embeds import OEmbedItem


def absolute(request, url: str) -> str:
    """Storage URLs are relative on the file system, absolute on S3."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


def with_source(url: str, source: str) -> str:
    """`url` with `?src=<source>` (replacing any src it had)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "src"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("src", source)])))


def share_links(url: str, text: str) -> list[dict]:
    def encoded(network: str) -> str:
        return quote(with_source(url, network), safe="")

    message = quote(text, safe="")
    x_query = urlencode({"url": with_source(url, "x"), "text": text})
    return [
        {"id": "x", "label": "X", "href": f"https://twitter.com/intent/tweet?{x_query}"},
        {"id": "facebook", "label": "Facebook",
         "href": f"https://www.facebook.com/sharer/sharer.php?u={encoded('facebook')}"},
        {"id": "linkedin", "label": "LinkedIn",
         "href": f"https://www.linkedin.com/sharing/share-offsite/?url={encoded('linkedin')}"},
        {"id": "whatsapp", "label": "WhatsApp",
         "href": f"https://wa.me/?text={message}%20{encoded('whatsapp')}"},
        {"id": "email", "label": "E-mail",
         "href": f"mailto:?subject={message}&body={message}%0A%0A{encoded('email')}"},
    ]  # fmt: skip


def share_for(request, idea, media) -> dict:
    canonical = request.build_absolute_uri(idea.get_absolute_url())
    description = Truncator(" ".join((idea.body or idea.campaign.pitch or idea.title).split()))
    image = ""
    if media is not None and media.is_ready and media.share_card:
        image = absolute(request, media.share_card.url)
    elif idea.video_provider == "youtube":
        image = f"https://i.ytimg.com/vi/{idea.video_ref}/hqdefault.jpg"
    elif idea.campaign.cover:
        image = absolute(request, idea.campaign.cover.url)
    text = f"{idea.title} · {idea.campaign.title}"
    return {
        "url": canonical,
        "title": idea.title,
        "description": description.chars(200),
        "image": image,
        "image_is_card": bool(media is not None and media.is_ready and media.share_card),
        "site_name": request.tenant.name,
        "links": share_links(canonical, text),
        "copy_url": with_source(canonical, "link"),
    }


def embed_url(idea) -> str:
    if not idea.video_ref:
        return ""
    return video_links.embed_url(idea.video_provider, idea.video_ref)


def oembed_idea(request, public_id):
    """What a pasted idea link unfolds to in a CMS (integrations.embeds): its
    title, author and share image; a published idea only, else 404."""
    idea = selectors.idea_for_viewer(request, public_id)
    if idea.state != Idea.State.PUBLISHED:
        raise Http404
    share = share_for(request, idea, selectors.media_of(idea))
    return OEmbedItem(
        title=share["title"],
        author_name=str(selectors.author_name(idea)),
        thumbnail_url=share["image"],
    )
