"""The share card of a challenge's winners page: a 1200x630 JPEG made with
Pillow — the brand's colour, the challenge, its latest winners and their
prizes, the first winner's image beside them — for Open Graph and Twitter.

Made once per version of what it shows (the winners, the brand's colour, the
language) and kept in the cache: a crawler's every fetch costs one lookup.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from campaigns.money import format_money
from tenants.branding import readable_text_on

SIZE = (1200, 630)
CACHE_SECONDS = 7 * 24 * 3600
MAX_LINES = 3
# DejaVu covers the accents and the euro sign; Pillow's own font stands in
# where the system has none.
_FONT_FILES = {
    True: ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    False: ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}


def _font(size: int, *, bold: bool = False):
    for candidate in _FONT_FILES[bold]:
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    """The text, cut with an ellipsis to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(draw, text: str, font, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        attempt = f"{line} {word}".strip()
        if draw.textlength(attempt, font=font) <= width or not line:
            line = attempt
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], _fit(draw, " ".join(out[lines - 1 :]), font, width)]
    return [_fit(draw, each, font, width) for each in out]


def _colour(value: str) -> str:
    value = (value or "").strip()
    return value if len(value) == 7 and value.startswith("#") else "#1f4fd1"


def card_key(campaign, winners) -> str:
    """What the card shows, as a cache key: a new winner or colour makes a new card."""
    facts = [campaign.pk, campaign.title, campaign.tenant.primary_colour, get_language()]
    facts += [(w.award.pk, w.award.idea_title, str(w.award.amount)) for w in winners]
    digest = hashlib.sha256(repr(facts).encode()).hexdigest()[:20]
    return f"rewards:winners-card:{campaign.pk}:{digest}"


def winners_card(campaign, winners, *, picture: Callable[[], bytes | None] = lambda: None) -> bytes:
    """The card's JPEG, from the cache or made now. `winners` as
    rewards.selectors.winners_of gives them; `picture()` reads the latest
    winning idea's image, if it has one (only when the card is made)."""
    key = card_key(campaign, winners)
    cached = cache.get(key)
    if cached is not None:
        return cached
    made = render_card(campaign, winners, picture=picture())
    cache.set(key, made, CACHE_SECONDS)
    return made


def render_card(campaign, winners, *, picture: bytes | None = None) -> bytes:
    background = _colour(campaign.tenant.primary_colour)
    ink = readable_text_on(background)
    card = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(card)
    text_width = SIZE[0] - 120
    if picture:
        try:
            with Image.open(io.BytesIO(picture)) as source:
                picture = ImageOps.fit(source.convert("RGB"), (460, SIZE[1]))
            card.paste(picture, (SIZE[0] - 460, 0))
            text_width = SIZE[0] - 460 - 120
        except OSError:
            pass  # an unreadable file: the card without a picture
    x, y = 60, 56
    draw.text((x, y), _fit(draw, campaign.tenant.name, _font(30), text_width), font=_font(30),
              fill=ink)  # fmt: skip
    y += 60
    heading = _font(58, bold=True)
    title = _("Winners of %(title)s") % {"title": campaign.title}
    for line in _wrap(draw, title, heading, text_width, 2):
        draw.text((x, y), line, font=heading, fill=ink)
        y += 70
    line_font, amount_font = _font(32), _font(32, bold=True)
    latest = list(reversed(winners))[:MAX_LINES]
    # The winners sit at the foot of the card, under a rule, whatever the title's length.
    y = max(y + 24, SIZE[1] - 60 - 58 * max(len(latest), 1))
    draw.line([(x, y - 22), (x + text_width, y - 22)], fill=ink, width=3)
    if not latest:
        draw.text((x, y), _("The winners are announced soon."), font=line_font, fill=ink)
    for winner in latest:
        amount = format_money(winner.award.amount, winner.award.currency)
        amount_width = draw.textlength(amount, font=amount_font)
        draw.text((x, y), amount, font=amount_font, fill=ink)
        label = f"{winner.round_label} · {winner.award.idea_title}"
        draw.text(
            (x + amount_width + 24, y),
            _fit(draw, label, line_font, int(text_width - amount_width - 24)),
            font=line_font,
            fill=ink,
        )
        y += 58
    out = io.BytesIO()
    card.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
