"""A brand's app icons and favicon, drawn with Pillow from its logo (or its
initials on its colour when it has none), kept in the cache.

The cache key names everything the picture depends on (the logo's file, the
colour, the name), so a brand that changes its logo gets new icons at once and
no brand ever gets another's.
"""

import hashlib
import io

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont, ImageOps

from tenants.branding import palette

ICON_SIZES = (32, 180, 192, 512)  # favicon, Apple touch, manifest (any, maskable)
FAVICON_SIZES = ((16, 16), (32, 32), (48, 48))
PLATFORM_COLOUR = "#1f4fd1"
CACHE_SECONDS = 24 * 3600


def initials(name: str) -> str:
    """The initials of a name: "ING Direct" → "ID", "Decathlon" → "D"."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "R"


def _fingerprint(*, name: str, colour: str, logo_name: str) -> str:
    return hashlib.sha256(f"{name}|{colour}|{logo_name}".encode()).hexdigest()[:16]


def _square_logo(logo_file, size: int, background: str) -> Image.Image:
    """The logo, whole, centred on a white square with a margin (maskable icons
    must keep their picture inside the middle 80 %)."""
    with Image.open(logo_file) as source:
        source = ImageOps.exif_transpose(source).convert("RGBA")
        inner = int(size * 0.7)
        source.thumbnail((inner, inner), Image.Resampling.LANCZOS)
        canvas = Image.new("RGBA", (size, size), background)
        canvas.alpha_composite(source, ((size - source.width) // 2, (size - source.height) // 2))
        return canvas


def _initials_square(name: str, colour: str, size: int) -> Image.Image:
    colours = palette(colour)
    canvas = Image.new("RGBA", (size, size), colours["fill"])
    draw = ImageDraw.Draw(canvas)
    letters = initials(name)
    font = ImageFont.load_default(size=int(size * (0.42 if len(letters) > 1 else 0.55)))
    draw.text((size / 2, size / 2), letters, fill=colours["on_fill"], font=font, anchor="mm")
    return canvas


def _draw(*, name: str, colour: str, logo, size: int) -> Image.Image:
    if logo:
        try:
            with logo.open("rb") as logo_file:
                return _square_logo(logo_file, size, "#ffffff")
        except (OSError, ValueError):
            pass  # an unreadable logo: the initials are better than no icon
    return _initials_square(name, colour, size)


def _brand(tenant) -> tuple[str, str, object]:
    if tenant is None:
        from django.conf import settings

        return settings.PLATFORM_NAME, PLATFORM_COLOUR, None
    return tenant.name, tenant.primary_colour, tenant.logo


def icon_png(tenant, size: int) -> tuple[bytes, str]:
    """(PNG bytes, version) of the brand's square icon of `size` pixels."""
    name, colour, logo = _brand(tenant)
    version = _fingerprint(name=name, colour=colour, logo_name=getattr(logo, "name", "") or "")
    key = f"brand-icon:{getattr(tenant, 'pk', 0)}:{version}:{size}"
    data = cache.get(key)
    if data is None:
        buffer = io.BytesIO()
        _draw(name=name, colour=colour, logo=logo, size=size).save(buffer, "PNG", optimize=True)
        data = buffer.getvalue()
        cache.set(key, data, CACHE_SECONDS)
    return data, version


def favicon_ico(tenant) -> tuple[bytes, str]:
    """(ICO bytes with 16, 32 and 48 px pictures, version) of the brand's favicon."""
    name, colour, logo = _brand(tenant)
    version = _fingerprint(name=name, colour=colour, logo_name=getattr(logo, "name", "") or "")
    key = f"brand-favicon:{getattr(tenant, 'pk', 0)}:{version}"
    data = cache.get(key)
    if data is None:
        buffer = io.BytesIO()
        picture = _draw(name=name, colour=colour, logo=logo, size=64)
        picture.save(buffer, "ICO", sizes=FAVICON_SIZES)
        data = buffer.getvalue()
        cache.set(key, data, CACHE_SECONDS)
    return data, version


def brand_version(tenant) -> str:
    """Changes whenever the brand's icons change: appended to their addresses."""
    name, colour, logo = _brand(tenant)
    return _fingerprint(name=name, colour=colour, logo_name=getattr(logo, "name", "") or "")
