"""The winners page worth sharing: each announced round's winning ideas with
their prizes and shares, Open Graph and Twitter tags, and a share card made
once (1200x630, cached) for the link; the same 404 for another tenant."""

import io

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from rewards import selectors
from rewards import winners_card as cards


def meta(page: str, attribute: str, name: str) -> str:
    return page.split(f'<meta {attribute}="{name}" content="')[1].split('"')[0]


def test_the_winners_page_shows_rounds_ideas_prizes_and_shares(announced, genios, client_for):
    page = client_for(genios.tenant).get(f"/challenges/{genios.slug}/winners/").text
    assert '<h2 id="round-1">Week 1</h2>' in page
    assert 'class="winner-card"' in page and "Idea A" in page and "Idea B" not in page
    assert "€500" in page
    assert "— 100%" in page  # the whole prize to its author
    assert "1 winning idea, €500 in prizes." in page
    assert 'class="share-links"' in page and "share-native" in page


def test_the_winners_page_carries_its_share_card(announced, genios, client_for):
    page = client_for(genios.tenant).get(f"/challenges/{genios.slug}/winners/").text
    image = meta(page, "property", "og:image")
    assert image.startswith(f"http://ing.localhost/challenges/{genios.slug}/winners/card.jpg?v=")
    assert meta(page, "property", "og:image:width") == "1200"
    assert meta(page, "property", "og:image:height") == "630"
    assert meta(page, "name", "twitter:card") == "summary_large_image"
    assert meta(page, "name", "twitter:image") == image
    assert meta(page, "property", "og:title") == "Winners of Genios del Ahorro"
    assert "1 winning idea in Genios del Ahorro" in meta(page, "property", "og:description")
    assert meta(page, "property", "og:url") == (
        f"http://ing.localhost/challenges/{genios.slug}/winners/"
    )


def test_the_share_card_is_a_1200x630_jpeg_made_once(announced, genios, client_for):
    client = client_for(genios.tenant)
    url = f"/challenges/{genios.slug}/winners/card.jpg"
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/jpeg"
    assert "public" in first["Cache-Control"]
    with Image.open(io.BytesIO(first.content)) as card:
        assert card.format == "JPEG" and card.size == (1200, 630)
        # ING's orange fills the background (give or take the JPEG's rounding).
        corner = card.convert("RGB").getpixel((5, 5))
        assert all(abs(a - b) <= 4 for a, b in zip(corner, (255, 98, 0), strict=True))
    with scope_of(genios):
        key = cards.card_key(genios, selectors.winners_of(genios))
    assert cache.get(key) == first.content
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.content == first.content
    assert len(again) <= 8  # the challenge and its winners; no rendering


def scope_of(campaign):
    from django_scopes import scope

    return scope(tenant=campaign.tenant)


def test_a_new_winner_makes_a_new_card(genios, make_idea, vote, decide, advance, client_for):
    client = client_for(genios.tenant)
    before = client.get(f"/challenges/{genios.slug}/winners/").text
    empty_card = client.get(f"/challenges/{genios.slug}/winners/card.jpg")
    assert empty_card.status_code == 200
    assert "The winners appear here once the jury has decided." in before
    round_, now = decide([vote(make_idea(title="Idea A"), 2)])
    advance(round_, now)
    after = client.get(f"/challenges/{genios.slug}/winners/").text
    assert meta(after, "property", "og:image") != meta(before, "property", "og:image")


def test_every_persona_sees_the_winners_and_another_tenant_gets_404(
    announced, genios, owner, admin, decathlon, stranger, make_person, client_for
):
    for user in (owner, admin, make_person(), None):
        client = client_for(genios.tenant, user)
        assert client.get(f"/challenges/{genios.slug}/winners/").status_code == 200
        assert client.get(f"/challenges/{genios.slug}/winners/card.jpg").status_code == 200
    foreign = client_for(decathlon, stranger)
    assert foreign.get(f"/challenges/{genios.slug}/winners/").status_code == 404
    assert foreign.get(f"/challenges/{genios.slug}/winners/card.jpg").status_code == 404


def test_the_winners_page_runs_few_queries(announced, genios, client_for):
    client = client_for(genios.tenant)
    client.get(f"/challenges/{genios.slug}/winners/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/challenges/{genios.slug}/winners/").status_code == 200
    assert len(queries) <= 15
