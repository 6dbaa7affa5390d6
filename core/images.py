"""Small uploaded pictures (challenge covers, brand logos, avatars): accepted by
content, never by name.

The file is decoded with Pillow (the formats the caller accepts), refused when
it is too large, a decompression bomb or truncated, then re-encoded: EXIF data
(location) goes, the orientation is applied, and very large pictures are
scaled down. What is stored is our own encoding, never the upload's bytes.

Ideas' images and videos have their own pipeline (ideas/media.py): renditions
made in a task, limits per challenge.
"""

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
ACCEPTED = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why, for people."""


def clean_image(
    upload,
    *,
    max_mb: int = 5,
    max_side: int = MAX_SIDE,
    formats: tuple[str, ...] = ACCEPTED,
    output_format: str | None = None,
) -> ContentFile:
    """The upload, re-encoded in its own format (or `output_format`), or
    ImageRejected saying why it was refused."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ImageRejected(_("The image is larger than %(mb)s MB.") % {"mb": max_mb})
    if not size:
        raise ImageRejected(_("The file is empty."))
    upload.seek(0)
    data = upload.read()
    try:
        return _clean(data, max_side=max_side, formats=formats, output_format=output_format)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise ImageRejected(_("This file is not an image we can read.")) from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or corrupt files surface as any of these from Pillow's decoders.
        raise ImageRejected(_("This image is damaged or incomplete.")) from None


def _clean(
    data: bytes, *, max_side: int, formats: tuple[str, ...], output_format: str | None
) -> ContentFile:
    # Pillow only warns between its pixel limit and twice that: make it refuse.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in formats:
            names = ", ".join(LABELS[name] for name in formats)
            raise ImageRejected(
                _("Use an image in one of these formats: %(names)s.") % {"names": names}
            )
        if width * height > MAX_PIXELS:
            raise ImageRejected(_("The image has too many pixels."))
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            target = output_format or image_format
            if target == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            elif target == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format=target, **({"quality": 88} if target != "PNG" else {}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[target]}")
