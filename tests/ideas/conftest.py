"""Ideas for the tests, made through the services, and the files people send.

genios            ING's "Genios del Ahorro", published and open (post-moderation)
pat, sam          participants who accepted ING's terms
submit(...)       idea_submit inside ING's scope, as pat unless told
Files are made here, with Pillow and ffmpeg: nothing binary is committed.
"""

import io
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from PIL import Image

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import media, services
from tests.campaigns.conftest import this_monday


@pytest.fixture
def client_for(client_for):
    """The suite's `client_for`, reading pages in English (ING's default is
    Spanish) unless `language=` says otherwise."""

    def make(tenant=None, user=None, language="en", **defaults):
        client = client_for(tenant, user, **defaults)
        if language:
            client.cookies["django_language"] = language
        return client

    return make


@pytest.fixture
def consent():
    def accept(user, tenant, name=None):
        with scope(tenant=tenant):
            account_services.consent_accept(
                tenant=tenant, user=user, version=1, display_name=name or user.display_name
            )
        return user

    return accept


@pytest.fixture
def pat(participant, ing, consent):
    return consent(participant, ing, "Pat")


@pytest.fixture
def sam(make_user, ing, consent):
    return consent(make_user("sam@example.com", display_name="Sam"), ing, "Sam")


@pytest.fixture
def make_campaign(owner):
    def make(tenant, actor=None, *, publish=True, starts_at=None, **settings):
        values = genios_del_ahorro(starts_at or this_monday())
        values.update(settings)
        with scope(tenant=tenant):
            campaign = campaign_services.campaign_create(
                tenant=tenant, actor=actor or owner, **values
            )
            if publish:
                campaign = campaign_services.campaign_publish(
                    campaign=campaign, actor=actor or owner
                )
        return campaign

    return make


@pytest.fixture
def genios(ing, make_campaign):
    return make_campaign(ing)


@pytest.fixture
def submit(genios, pat):
    def make(campaign=None, author=None, **values):
        campaign = campaign or genios
        values.setdefault("title", "Redondea tus compras")
        values.setdefault("body", "Cada compra se redondea al euro y la diferencia se ahorra.")
        with scope(tenant=campaign.tenant):
            return services.idea_submit(campaign=campaign, author=author or pat, **values)

    return make


# --- Files --------------------------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(800, 600), colour=(200, 40, 40), exif=None, mode="RGB"):
    image = Image.new(mode, size, colour if mode == "RGB" else (*colour, 128))
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def exif_with_location_and_rotation() -> bytes:
    """EXIF saying "rotate 90°" (orientation 6) and a GPS position in Madrid."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned
    exif[0x010F] = "TestCam"
    gps = {1: "N", 2: (40.0, 25.0, 0.0), 3: "W", 4: (3.0, 42.0, 0.0)}
    exif[0x8825] = gps
    return exif.tobytes()


def png_bomb(width=30000, height=30000) -> bytes:
    """A real decompression bomb: a valid grayscale PNG of width x height pixels
    whose zero pixels compress to well under a megabyte."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    rows_per_block = 1000
    block = row * rows_per_block
    parts = []
    for _ in range(height // rows_per_block):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(row * (height % rows_per_block)))
    parts.append(compressor.flush())
    data = b"".join(parts)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>'
)
PHP_AS_JPG = b"<?php system($_GET['cmd']); ?>\n"


@pytest.fixture(scope="session")
def bomb_png():
    return png_bomb()


def _ffmpeg(*args) -> None:
    # The pipeline's own ffmpeg: the system's, else the wheel's.
    subprocess.run(
        [media.ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", *args], check=True
    )


@pytest.fixture(scope="session")
def videos(tmp_path_factory) -> dict[str, Path]:
    """Short test videos made by ffmpeg: MP4 with sound, portrait MOV, WebM,
    a 6-second MP4 (over a 5-second limit) and a corrupt MP4."""
    folder = tmp_path_factory.mktemp("videos")
    made = {
        "mp4": folder / "clip.mp4",
        "mov": folder / "portrait.mov",
        "webm": folder / "clip.webm",
        "long": folder / "long.mp4",
    }
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(made["mp4"]))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=360x640:rate=25:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            str(made["mov"]))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=1",
            "-c:v", "libvpx", "-b:v", "200k", str(made["webm"]))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            str(made["long"]))  # fmt: skip
    corrupt = folder / "corrupt.mp4"
    good = made["mp4"].read_bytes()
    # The container's header survives, the rest is noise: ffprobe cannot read it.
    corrupt.write_bytes(good[:32] + bytes(range(256)) * 40)
    made["corrupt"] = corrupt
    return made


@pytest.fixture(scope="session")
def damaged_videos(tmp_path_factory) -> dict[str, Path]:
    """A 4-second MP4 (a key frame every second, its index first) damaged three
    ways; its headers survive each time, so the request accepts them all:
    scratched   300 bytes of picture data overwritten, in two places
    cut_short   only its first 45 % (a copy cut off)
    destroyed   90 % of its picture data overwritten"""
    folder = tmp_path_factory.mktemp("damaged")
    clip = folder / "clip.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
            "-movflags", "+faststart", str(clip))  # fmt: skip
    good = clip.read_bytes()
    start = good.index(b"mdat") + 4
    length = len(good) - start

    def overwrite(spans) -> bytes:
        data = bytearray(good)
        for offset, size in spans:
            data[offset : offset + size] = bytes(
                (b * 131 + 7) & 0xFF for b in data[offset : offset + size]
            )
        return bytes(data)

    made = {
        "scratched": overwrite([(start + length // 3, 300), (start + 2 * length // 3, 300)]),
        "cut_short": good[: len(good) * 45 // 100],
        "destroyed": overwrite([(start, length * 9 // 10)]),
    }
    paths = {}
    for name, content in made.items():
        paths[name] = folder / f"{name}.mp4"
        paths[name].write_bytes(content)
    return paths


def video_upload(path: Path, content_type="video/mp4"):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)
