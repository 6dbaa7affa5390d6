from django import template

from tenants.branding import palette, readable_text_on
from tenants.icons import brand_version

register = template.Library()

DEFAULT_PRIMARY = "#1f4fd1"
DEFAULT_ACCENT = "#ff6200"


@register.filter
def text_on(background: str) -> str:
    """`{{ tenant.primary_colour|text_on }}` → the readable text colour on it."""
    return readable_text_on(background or DEFAULT_PRIMARY)


@register.filter
def fill(colour: str) -> str:
    """`{{ tenant.primary_colour|fill }}` → the colour as a background that text
    (`|fill|text_on`) reads on at ≥ 4.5:1, e.g. in e-mails."""
    return palette(colour or DEFAULT_PRIMARY)["fill"]


@register.filter
def ink(colour: str) -> str:
    """`{{ tenant.primary_colour|ink }}` → the colour as text on white, ≥ 4.5:1."""
    return palette(colour or DEFAULT_PRIMARY)["ink"]


@register.simple_tag
def brand_palettes(brand) -> dict:
    """{"primary": palette, "accent": palette} of a tenant (the platform's
    colours when there is none), for templates/partials/brand_style.html."""
    primary = getattr(brand, "primary_colour", "") or DEFAULT_PRIMARY
    accent = getattr(brand, "accent_colour", "") or DEFAULT_ACCENT
    return {"primary": palette(primary), "accent": palette(accent)}


@register.simple_tag
def brand_icon_version(brand) -> str:
    """The version of the brand's icons, to put in their addresses."""
    return brand_version(brand)
