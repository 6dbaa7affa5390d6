"""Colours a tenant's pages can wear while staying readable (WCAG 2.1 AA).

A brand picks its colours for its logo, not for contrast: Decathlon's blue
#0082c3 under white text is 4.21:1, ING's orange as link text on white ~3:1.
`palette()` turns one brand colour into the few variants the stylesheet needs,
each darkened (same hue and saturation, less lightness) only as far as needed:

- `fill`, `on_fill`: a button's or the header's background and its text, ≥ 4.5:1;
- `ink`: the colour as text or links on the page's paper and wash, ≥ 4.5:1;
- `ui`: borders, focus rings, checked boxes on paper and wash, ≥ 3:1.
"""

import colorsys
from functools import lru_cache

DARK_TEXT = "#1b1f24"
LIGHT_TEXT = "#ffffff"
PAPER = "#ffffff"
WASH = "#f4f6f9"  # the page's background: a little darker than paper, so checked against too
TEXT_CONTRAST = 4.5
UI_CONTRAST = 3.0


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with `background`."""
    on_dark = contrast_ratio(background, LIGHT_TEXT)
    on_light = contrast_ratio(background, DARK_TEXT)
    return LIGHT_TEXT if on_dark >= on_light else DARK_TEXT


def _with_lightness(hex_colour: str, lightness: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    channels = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)


def darken_until(hex_colour: str, *, against: tuple[str, ...], ratio: float) -> str:
    """`hex_colour`, darkened in small steps of lightness until it contrasts at
    least `ratio` with every colour of `against` (all light). Black always does."""
    colour = hex_colour.lower()
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lightness = colorsys.rgb_to_hls(red, green, blue)[1]
    while not all(contrast_ratio(colour, other) >= ratio for other in against):
        lightness = max(0.0, lightness - 0.01)
        colour = _with_lightness(colour, lightness)
        if lightness == 0.0:
            return "#000000"
    return colour


@lru_cache(maxsize=256)
def palette(hex_colour: str) -> dict[str, str]:
    """The readable variants of a brand colour (see the module's docstring)."""
    colour = hex_colour.lower()
    on_fill = readable_text_on(colour)
    if contrast_ratio(colour, on_fill) >= TEXT_CONTRAST:
        fill = colour
    else:
        fill = darken_until(colour, against=(LIGHT_TEXT,), ratio=TEXT_CONTRAST)
        on_fill = LIGHT_TEXT
    return {
        "base": colour,
        "fill": fill,
        "on_fill": on_fill,
        "ink": darken_until(colour, against=(PAPER, WASH), ratio=TEXT_CONTRAST),
        "ui": darken_until(colour, against=(PAPER, WASH), ratio=UI_CONTRAST),
    }
