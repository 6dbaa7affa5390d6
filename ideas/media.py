"""Images and videos: what is accepted, and how renditions are made.

No database here: `services.py` calls these and keeps the state.

Two stages, so a web worker never decodes or transcodes anything:

1. In the request (`inspect_image`, `inspect_video`): checks that read only the
   file's headers — the first bytes (what the file *is*, whatever its name),
   the declared pixel size (decompression bombs are refused before a single
   pixel is decoded), JPEG/PNG end markers (truncated files), and `ffprobe`'s
   reading of a video's container (format, streams, duration; ffmpeg's own
   reading where there is no ffprobe), bounded by a timeout. Milliseconds, whatever the file's size.
2. In the media task (`render_image`, `render_video`): the full decode, EXIF
   removed and orientation applied, the renditions; for videos a transcode to
   H.264/AAC MP4 at most 720p, and a poster frame. No rendition says which
   tools made it, nor their versions.

Both raise `MediaRefused` with a message for the author.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError

try:  # HEIC/HEIF (iPhone photos) through libheif, when the wheel is installed.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - the dependency is pinned
    HEIF_SUPPORTED = False


def limit(name: str, default):
    return getattr(settings, name, default)


# Our limit, checked on the declared size before anything is decoded (Pillow's
# own process-wide limit is left as it is: other code shares it). Pillow's
# bomb warning is turned into a refusal below as a second line.
MAX_PIXELS = limit("IDEAS_IMAGE_MAX_PIXELS", 40_000_000)
MAX_SIDE = limit("IDEAS_IMAGE_MAX_SIDE", 12_000)

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
VIDEO_FORMATS = {"mp4": "mp4", "mov": "mov", "webm": "webm"}

THUMBNAIL_SIZE = (640, 480)
DETAIL_MAX = 1600
SHARE_CARD_SIZE = (1200, 630)
VIDEO_BOX = (1280, 720)  # landscape; portrait videos get 720 x 1280


class MediaRefused(DomainError):
    code = "media_refused"


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class VideoInfo:
    format: str
    width: int
    height: int
    duration: float
    has_audio: bool
    rotation: int = 0


# --- Stage 1: headers only, in the request -------------------------------------------


def _head(upload, size: int = 64) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _tail(upload, size: int = 16) -> bytes:
    total = upload.size
    upload.seek(max(0, total - size))
    tail = upload.read(size)
    upload.seek(0)
    return tail


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is: an image format, a video container,
    or None. Names and declared content types are never trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
            return "HEIF"
        if brand == b"qt  ":
            return "mov"
        return "mp4"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip"):
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


def _check_size(upload, max_bytes: int, too_big_message: str) -> None:
    if not upload.size:
        raise MediaRefused(_("The file is empty."), code="empty_file")
    if upload.size > max_bytes:
        raise MediaRefused(too_big_message, code="file_too_large")


def inspect_image(upload, *, max_bytes: int) -> ImageInfo:
    """Refuse what is not a JPEG, PNG, WebP or HEIC image of an acceptable size,
    reading only its header (and last bytes)."""
    _check_size(
        upload,
        max_bytes,
        _("The image is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
    )
    kind = sniff(_head(upload))
    if kind not in IMAGE_FORMATS or (kind == "HEIF" and not HEIF_SUPPORTED):
        raise MediaRefused(
            _("This file is not an image we accept: send a JPEG, PNG, WebP or HEIC photo."),
            code="not_an_image",
        )
    width, height = _declared_size(upload, kind)
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise MediaRefused(
            _(
                "The image is %(w)s x %(h)s pixels: at most %(mp)s megapixels "
                "and %(side)s pixels a side are accepted."
            )
            % {"w": width, "h": height, "mp": MAX_PIXELS // 1_000_000, "side": MAX_SIDE},
            code="image_too_many_pixels",
        )
    if width < 16 or height < 16:
        raise MediaRefused(_("The image is too small to be seen."), code="image_too_small")
    tail = _tail(upload)
    if (kind == "JPEG" and b"\xff\xd9" not in tail) or (kind == "PNG" and b"IEND" not in tail):
        raise MediaRefused(
            _("The image is incomplete or damaged: try sending it again."),
            code="image_damaged",
        )
    return ImageInfo(format=kind, width=width, height=height)


@contextlib.contextmanager
def _pillow_refusals():
    """Pillow's refusals of an image (a decompression bomb, a damaged file),
    as the author will read them; a bomb warning counts as a refusal."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused(
            _("The image has too many pixels: at most %(mp)s megapixels are accepted.")
            % {"mp": MAX_PIXELS // 1_000_000},
            code="image_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError):
        raise MediaRefused(
            _("The image is incomplete or damaged: try sending it again."),
            code="image_damaged",
        ) from None


def _declared_size(upload, kind: str) -> tuple[int, int]:
    """The pixel size the header declares, without decoding the pixels."""
    upload.seek(0)
    try:
        with _pillow_refusals(), Image.open(upload, formats=[kind]) as image:
            return image.size
    finally:
        upload.seek(0)


@contextlib.contextmanager
def local_path(upload):
    """A path on disk for the upload: its temporary file when Django streamed it
    to one, else a copy (small uploads kept in memory, files from storage)."""
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        yield Path(path())
        return
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy, 1024 * 1024)
        copy.flush()
        upload.seek(0)
        yield Path(copy.name)


# --- The tools: ffmpeg and ffprobe ------------------------------------------------------

PR_SET_PDEATHSIG = 1  # linux/prctl.h
try:  # loaded before any fork: the child only calls into it
    _libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:  # pragma: no cover - a libc-less platform
    _libc = None


def _die_with_parent(parent_pid: int):
    """What the child runs between fork and exec: the kernel kills it (SIGKILL)
    the moment the process that started it dies, even by SIGKILL — a worker
    killed in the middle of a transcode leaves no ffmpeg behind, running on
    with nobody to read its output. (Linux ties this to the thread that
    started the child: a Celery pool process runs its tasks in its main one.)"""

    def preexec() -> None:
        if _libc is not None:
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took hold
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def run_tool(args: list[str], *, timeout: float) -> subprocess.CompletedProcess:
    """Run ffmpeg or ffprobe, output captured, tied to this process: it dies
    with it, and it is killed (and reaped) when `timeout` passes or anything
    interrupts the wait — Celery's soft time limit included (subprocess.run
    kills its child on any exception). Raises subprocess.TimeoutExpired."""
    return subprocess.run(
        args,
        capture_output=True,
        timeout=timeout,
        check=False,
        # Only prctl, getppid and kill run in the child before exec: calls
        # safe after a fork, whatever threads the worker has.
        preexec_fn=_die_with_parent(os.getpid()),
    )


def ffmpeg_binary() -> str:
    """The ffmpeg every video job runs: settings.FFMPEG when set, else the
    system's (Debian's `ffmpeg`, on PATH), else the static build shipped in the
    imageio-ffmpeg wheel, so a machine without the system's package still
    takes videos (README: "Ideas and moderation")."""
    configured = limit("FFMPEG", "")
    if configured:
        return configured
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):  # a platform the wheel has no build for
        raise MediaRefused(
            _("Videos cannot be taken at the moment: please try again later."),
            code="video_unavailable",
        ) from None


def ffprobe_binary() -> str | None:
    """settings.FFPROBE, else the system's ffprobe; None when there is none
    (the wheel ships ffmpeg only): then ffmpeg's own reading is parsed."""
    return limit("FFPROBE", "") or shutil.which("ffprobe")


def ffprobe(path: Path, *, timeout: float = 20) -> dict:
    """A container's format, streams and duration, in ffprobe's JSON shape."""
    binary = ffprobe_binary()
    if binary is None:
        return _probe_with_ffmpeg(path, timeout=timeout)
    try:
        result = run_tool(
            [binary, "-v", "error", "-print_format", "json",
             "-show_format", "-show_streams", str(path)],
            timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise _unreadable_in_time() from None
    if result.returncode != 0:
        raise _unreadable()
    try:
        return json.loads(result.stdout or b"{}")
    except ValueError:
        raise _unreadable() from None


def _unreadable() -> MediaRefused:
    return MediaRefused(
        _("This video cannot be read: it may be damaged or incomplete."),
        code="video_damaged",
    )


def _unreadable_in_time() -> MediaRefused:
    return MediaRefused(
        _("This video could not be read in time: it may be damaged."), code="video_damaged"
    )


# What `ffmpeg -i FILE` prints about its input (stderr), read when there is no
# ffprobe: the container's format names, its duration, and one line per stream
# followed by that stream's indented details (rotation in its side data).
_INPUT_LINE = re.compile(r"^Input #0, (?P<formats>.+?), from ", re.MULTILINE)
_DURATION_LINE = re.compile(
    r"^\s*Duration: (?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)", re.MULTILINE
)
_STREAM_LINE = re.compile(r"^\s*Stream #0:\d+\S*: (?P<type>[A-Za-z]+): (?P<rest>.*)$")
_PICTURE_SIZE = re.compile(r", (?P<w>\d+)x(?P<h>\d+)(?=[ ,\]]|$)")
_DISPLAY_ROTATION = re.compile(r"rotation of (?P<degrees>-?\d+(?:\.\d+)?) degrees")
_ROTATE_TAG = re.compile(r"^\s*rotate\s*:\s*(?P<degrees>-?\d+)\s*$")


def _probe_with_ffmpeg(path: Path, *, timeout: float) -> dict:
    """ffprobe's reading, from what ffmpeg says about its input (it exits
    non-zero: no output is asked for)."""
    try:
        result = run_tool(
            [ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", str(path)], timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise _unreadable_in_time() from None
    return parse_ffmpeg_input(result.stderr.decode("utf-8", "replace"))


def parse_ffmpeg_input(text: str) -> dict:
    """`ffmpeg -i`'s description of its input, as ffprobe's JSON would give it
    (the fields video_info reads). Raises MediaRefused when nothing was read."""
    formats = _INPUT_LINE.search(text)
    if formats is None:
        raise _unreadable()
    probe_format = {"format_name": formats["formats"]}
    duration = _DURATION_LINE.search(text)
    if duration is not None:
        seconds = int(duration["h"]) * 3600 + int(duration["m"]) * 60 + float(duration["s"])
        probe_format["duration"] = f"{seconds:.6f}"
    streams: list[dict] = []
    for line in text.splitlines():
        stream = _STREAM_LINE.match(line)
        if stream is not None:
            streams.append(_stream_from(stream["type"].lower(), stream["rest"]))
        elif streams:
            _stream_detail(streams[-1], line)
    return {"format": probe_format, "streams": streams}


def _stream_from(codec_type: str, description: str) -> dict:
    stream: dict = {
        "codec_type": codec_type,
        "codec_name": description.split(" ", 1)[0].rstrip(","),
        "disposition": {"attached_pic": int("(attached pic)" in description)},
    }
    size = _PICTURE_SIZE.search(description) if codec_type == "video" else None
    if size is not None:
        stream["width"], stream["height"] = int(size["w"]), int(size["h"])
    return stream


def _stream_detail(stream: dict, line: str) -> None:
    rotation = _DISPLAY_ROTATION.search(line)
    if rotation is not None:
        stream.setdefault("side_data_list", []).append({"rotation": float(rotation["degrees"])})
        return
    tag = _ROTATE_TAG.match(line)
    if tag is not None:
        stream.setdefault("tags", {})["rotate"] = tag["degrees"]


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            return int(float(side["rotation"])) % 360
    tags = stream.get("tags") or {}
    with contextlib.suppress(ValueError):
        return int(tags.get("rotate", 0)) % 360
    return 0


def video_info(probe: dict, *, max_seconds: int) -> VideoInfo:
    """Check ffprobe's reading of a container: a known format, a video stream,
    a duration within the challenge's limit."""
    damaged = MediaRefused(
        _("This video cannot be read: it may be damaged or incomplete."), code="video_damaged"
    )
    names = set((probe.get("format") or {}).get("format_name", "").split(","))
    if not names & {"mov", "mp4", "webm"}:
        raise MediaRefused(
            _("This file is not a video we accept: send an MP4, MOV or WebM video."),
            code="not_a_video",
        )
    streams = probe.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None or not video.get("width") or not video.get("height"):
        raise damaged
    try:
        duration = float((probe.get("format") or {}).get("duration") or video.get("duration"))
    except (TypeError, ValueError):
        raise damaged from None
    if duration <= 0:
        raise damaged
    if duration > max_seconds:
        raise MediaRefused(
            _("The video lasts %(seconds)s seconds; this challenge accepts at most %(max)s.")
            % {"seconds": round(duration), "max": max_seconds},
            code="video_too_long",
        )
    if max(int(video["width"]), int(video["height"])) > 8192:
        raise MediaRefused(_("The video's picture is too large."), code="video_too_large")
    kind = "webm" if "webm" in names else ("mov" if "mov" in names else "mp4")
    return VideoInfo(
        format=kind,
        width=int(video["width"]),
        height=int(video["height"]),
        duration=duration,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        rotation=_rotation(video),
    )


def inspect_video(upload, *, max_bytes: int, max_seconds: int) -> VideoInfo:
    """Refuse what is not an MP4, MOV or WebM video within the limits, reading
    its first bytes and its container's headers (ffprobe)."""
    _check_size(
        upload,
        max_bytes,
        _("The video is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
    )
    if sniff(_head(upload)) not in VIDEO_FORMATS:
        raise MediaRefused(
            _("This file is not a video we accept: send an MP4, MOV or WebM video."),
            code="not_a_video",
        )
    with local_path(upload) as path:
        return video_info(ffprobe(path), max_seconds=max_seconds)


# --- Stage 2: decode and render, in the media task -------------------------------------


@dataclass
class Renditions:
    """Files to store: name → bytes (or a path on disk for the video)."""

    thumbnail: bytes
    detail: bytes
    share_card: bytes
    width: int
    height: int
    video_path: Path | None = None
    duration: float | None = None


def _jpeg(image: Image.Image, quality: int = 84) -> bytes:
    out = io.BytesIO()
    # No `exif=` and no `icc_profile`: nothing of the original's metadata is kept.
    # Pillow would copy a JPEG comment (COM) from the source image's info: an
    # upload's, or ffmpeg's version ("Lavc59.37.100") on a video's poster.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, comment=b"")
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent PNGs and WebPs would turn black in a JPEG)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def renditions_from(image: Image.Image) -> Renditions:
    """Thumbnail (cropped 4:3), detail (at most 1600 px a side) and the 1200x630
    share card (cropped), from an upright RGB image."""
    detail = image.copy()
    detail.thumbnail((DETAIL_MAX, DETAIL_MAX), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    share = ImageOps.fit(image, SHARE_CARD_SIZE, Image.Resampling.LANCZOS)
    return Renditions(
        thumbnail=_jpeg(thumbnail, 80),
        detail=_jpeg(detail),
        share_card=_jpeg(share),
        width=image.width,
        height=image.height,
    )


def render_image(path: Path) -> Renditions:
    """Decode the whole image (a damaged one fails here), apply its EXIF
    orientation, drop its metadata, and make the renditions."""
    with _pillow_refusals(), Image.open(path, formats=list(IMAGE_FORMATS)) as original:
        if original.width * original.height > MAX_PIXELS:
            raise Image.DecompressionBombError("declared size over the limit")
        original.load()
        upright = ImageOps.exif_transpose(original)
        image = _flatten(upright)
    return renditions_from(image)


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def video_target_size(info: VideoInfo) -> tuple[int, int]:
    """The output size: the displayed picture (rotation applied) fitted in
    1280x720 (720x1280 when portrait), never enlarged, even dimensions."""
    width, height = info.width, info.height
    if info.rotation in (90, 270):
        width, height = height, width
    box = VIDEO_BOX if width >= height else (VIDEO_BOX[1], VIDEO_BOX[0])
    scale = min(1.0, box[0] / width, box[1] / height)
    return _even(width * scale), _even(height * scale)


def _run(args: list[str], *, timeout: float, failure: str) -> None:
    try:
        result = run_tool(args, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MediaRefused(
            _("The video took too long to convert: try a shorter or smaller one."),
            code="video_timeout",
        ) from None
    if result.returncode != 0:
        raise MediaRefused(failure, code="video_damaged")


# What names the tools that made a file, and their versions, is left out of what
# is published: container and stream tags (`encoder`: Lavf…, Lavc… libx264),
# x264's settings (an SEI unit, NAL type 6, in the picture stream), the JPEG
# comment ffmpeg writes on a frame.
BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
NO_METADATA = ["-map_metadata", "-1", "-map_metadata:s:v", "-1", "-map_metadata:s:a", "-1"]
# A damaged video is accepted when ffmpeg makes a playable rendition of at least
# this share of its declared length (README: "Ideas and moderation").
MIN_READABLE_SHARE = 0.5


def render_video(path: Path, workdir: Path, *, max_seconds: int, timeout: float) -> Renditions:
    """Transcode to H.264/AAC MP4 (at most 720p, fast start) and take a poster
    frame; the renditions are made from the poster.

    Damaged frames: ffmpeg conceals what it cannot decode and goes on; the video
    is refused when it gives up (more than two thirds of the frames undecodable)
    or when the rendition keeps less than MIN_READABLE_SHARE of the declared
    length (a file cut short). Otherwise it is published as ffmpeg renders it."""
    info = video_info(ffprobe(path), max_seconds=max_seconds)
    width, height = video_target_size(info)
    encoded = workdir / "encoded.mp4"
    output = workdir / "video.mp4"
    poster = workdir / "poster.jpg"
    damaged = _("This video cannot be converted: it may be damaged or incomplete.")
    quiet = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    audio = ["-c:a", "aac", "-b:a", "128k", "-ac", "2"] if info.has_audio else ["-an"]
    _run(
        [*quiet, "-i", str(path), "-t", str(max_seconds),
         "-map", "0:v:0", *(["-map", "0:a:0"] if info.has_audio else []),
         "-vf", f"scale={width}:{height},format=yuv420p",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high",
         "-level", "4.0", "-bsf:v", "filter_units=remove_types=6", *audio,
         *NO_METADATA, *BITEXACT,
         "-threads", str(limit("IDEAS_FFMPEG_THREADS", 2)), str(encoded)],
        timeout=timeout, failure=damaged,
    )  # fmt: skip
    # A copy without re-encoding: ffmpeg tags the streams it encodes with its
    # name ("Lavc libx264"), not those it copies.
    _run(
        [*quiet, "-i", str(encoded), "-map", "0", "-c", "copy", *NO_METADATA, *BITEXACT,
         "-movflags", "+faststart", str(output)],
        timeout=60, failure=damaged,
    )  # fmt: skip
    expected = min(info.duration, float(max_seconds))
    readable = _duration_of(output)
    if readable < expected * MIN_READABLE_SHARE:
        raise MediaRefused(
            _(
                "Only %(readable)s of the %(expected)s seconds of this video could be read: "
                "it is damaged or incomplete. Send it again, or another one."
            )
            % {"readable": round(readable, 1), "expected": round(expected, 1)},
            code="video_damaged",
        )
    at = "1" if readable > 2 else "0"
    _run(
        [*quiet, "-ss", at, "-i", str(output), "-frames:v", "1", "-q:v", "3", *BITEXACT,
         str(poster)],
        timeout=60, failure=damaged,
    )  # fmt: skip
    if not poster.exists() or not output.exists() or output.stat().st_size == 0:
        raise MediaRefused(damaged, code="video_damaged")
    with Image.open(poster) as frame:
        renditions = renditions_from(frame.convert("RGB"))
    renditions.video_path = output
    renditions.duration = min(readable, float(max_seconds))
    renditions.width, renditions.height = width, height
    return renditions


def _duration_of(rendition: Path) -> float:
    """The length of a rendition we made (0 when it has no picture)."""
    try:
        probe = ffprobe(rendition)
    except MediaRefused:
        return 0.0
    if not any(s.get("codec_type") == "video" for s in probe.get("streams") or []):
        return 0.0
    try:
        return float((probe.get("format") or {}).get("duration") or 0)
    except (TypeError, ValueError):
        return 0.0


def workdirs_root() -> Path:
    """Where the media jobs of this machine keep their temporary files: one
    folder per job, named by the media's public id (settings.IDEAS_MEDIA_WORKDIR,
    else `ruche-media` in the system's temporary folder)."""
    configured = limit("IDEAS_MEDIA_WORKDIR", "")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "ruche-media"


@contextlib.contextmanager
def workdir(name: str):
    """The job's own temporary folder, removed when the job ends, whatever the
    outcome. What a killed attempt of the same job left there (a half-written
    transcode) is removed first: a job killed with SIGKILL runs no `finally`."""
    path = workdirs_root() / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def workdirs_remove_older_than(seconds: float) -> int:
    """Remove the folders of jobs that ended without cleaning up (their process
    was killed) and were never run again: older than `seconds` (a job's hard
    time limit), so no running job's folder is touched. Returns how many."""
    root = workdirs_root()
    if not root.is_dir():
        return 0
    cutoff = time.time() - seconds
    removed = 0
    for folder in root.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def extension_for(detected_format: str) -> str:
    return IMAGE_FORMATS.get(detected_format) or VIDEO_FORMATS.get(detected_format) or "bin"


def safe_name(name: str) -> str:
    """The upload's name reduced to something harmless for messages and logs."""
    base = os.path.basename(name or "")[:80]
    return "".join(c for c in base if c.isalnum() or c in "._- ") or "upload"
