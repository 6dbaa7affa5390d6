"""Cover images and logos: accepted by content, never by name.

The file is decoded with Pillow (JPEG, PNG or WebP only), refused when it is
too large, a decompression bomb or truncated, then re-encoded: EXIF data
(location) goes, the orientation is applied, and very large pictures are
scaled down. What is stored is our own encoding, never the upload's bytes.
"""

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2400


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message says why, for people."""


def clean_image(upload, *, max_mb: int = 5, max_side: int = MAX_SIDE) -> ContentFile:
    size = getattr(upload, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ImageRejected(_("The image is larger than %(mb)s MB.") % {"mb": max_mb})
    if not size:
        raise ImageRejected(_("The file is empty."))
    upload.seek(0)
    data = upload.read()
    try:
        return _clean(data, max_side=max_side)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_("The image has too many pixels.")) from None
    except UnidentifiedImageError:
        raise ImageRejected(_("This file is not an image we can read.")) from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or corrupt files surface as any of these from Pillow's decoders.
        raise ImageRejected(_("This image is damaged or incomplete.")) from None


def _clean(data: bytes, *, max_side: int) -> ContentFile:
    # Pillow only warns between its pixel limit and twice that: make it refuse.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ACCEPTED:
            raise ImageRejected(_("Use a JPEG, PNG or WebP image."))
        if width * height > MAX_PIXELS:
            raise ImageRejected(_("The image has too many pixels."))
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(
                out, format=image_format, **({"quality": 88} if image_format != "PNG" else {})
            )
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ACCEPTED[image_format]}")
