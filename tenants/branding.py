"""Colours a tenant's pages can wear while staying readable (WCAG AA)."""

DARK_TEXT = "#1b1f24"
LIGHT_TEXT = "#ffffff"


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
