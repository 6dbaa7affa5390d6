"""The platform's check of small uploaded pictures (covers, logos, avatars)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import ImageRejected, clean_image


def picture(size=(40, 30), fmt="JPEG", mode="RGB", exif=False) -> SimpleUploadedFile:
    image = Image.new(mode, size, "white")
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x0112] = 6  # orientation: rotated
        data[0x8825] = {2: (40.0, 25.0, 0.0)}  # a GPS position
        extra["exif"] = data
    image.save(out, format=fmt, **extra)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", out.getvalue())


def test_metadata_goes_and_orientation_is_applied():
    cleaned = clean_image(picture(exif=True))
    with Image.open(cleaned) as image:
        assert image.size == (30, 40)  # turned upright
        assert not image.getexif()


def test_the_output_format_can_be_chosen():
    cleaned = clean_image(picture(fmt="GIF", mode="P"), formats=("GIF",), output_format="PNG")
    assert cleaned.name.endswith(".png")
    with Image.open(cleaned) as image:
        assert image.format == "PNG"


def test_a_format_not_accepted_is_named_in_the_refusal():
    with pytest.raises(ImageRejected, match="JPEG, PNG, WebP"):
        clean_image(picture(fmt="GIF", mode="P"))


def test_an_image_in_pillows_warning_band_is_refused():
    # 48 megapixels: above the limit, below Pillow's own refusal at twice it.
    with pytest.raises(ImageRejected, match="too many pixels"):
        clean_image(picture(size=(8000, 6000), fmt="PNG", mode="1"))


def test_an_empty_or_too_large_file_is_refused():
    with pytest.raises(ImageRejected, match="empty"):
        clean_image(SimpleUploadedFile("a.png", b""))
    with pytest.raises(ImageRejected, match="larger than 1 MB"):
        clean_image(SimpleUploadedFile("a.png", b"x" * (1024 * 1024 + 1)), max_mb=1)
