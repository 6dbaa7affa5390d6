"""Images and videos: refused by content with a clear message and nothing
stored; rendered by the media service (EXIF gone, orientation applied,
renditions, H.264/AAC MP4 at most 720p with a poster); failures reach the author."""

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scope
from PIL import Image

from ideas import media, services
from ideas.models import Idea, Media
from notifications.models import Notification
from tests.ideas.conftest import (
    PHP_AS_JPG,
    SVG_WITH_SCRIPT,
    exif_with_location_and_rotation,
    image_bytes,
    upload,
    video_upload,
)

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "ideas"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _refused(submit, ing, field, **files):
    before = stored_files()
    with pytest.raises(services.IdeaError) as refused:
        submit(**files)
    with scope(tenant=ing):
        assert Idea.objects.count() == 0 and Media.objects.count() == 0
    assert stored_files() == before
    return refused.value.fields[field][0]


# --- Refused in the request, by content ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PHP_AS_JPG, "shell.jpg", "not an image we accept"),
        (SVG_WITH_SCRIPT, "logo.svg", "not an image we accept"),
        (b"", "empty.jpg", "The file is empty."),
        (b"GIF89a" + b"\x00" * 100, "anim.gif", "not an image we accept"),
    ],
)
def test_files_that_are_not_accepted_images_are_refused(
    genios, submit, ing, content, name, message
):
    assert message in _refused(submit, ing, "image", image=upload(content, name))


def test_a_png_decompression_bomb_is_refused_before_decoding(genios, submit, ing, bomb_png):
    assert len(bomb_png) < 2_000_000  # tiny file, 900 million pixels
    message = _refused(submit, ing, "image", image=upload(bomb_png, "bomb.png", "image/png"))
    assert "megapixels" in message


def test_a_truncated_jpeg_is_refused(genios, submit, ing):
    whole = image_bytes(size=(1200, 900))
    message = _refused(submit, ing, "image", image=upload(whole[: len(whole) // 2]))
    assert "incomplete or damaged" in message


def test_an_image_over_the_challenges_size_is_refused(ing, make_campaign, submit):
    campaign = make_campaign(ing, slug="tiny", title="Tiny", image_max_mb=1)
    noise = Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")  # noise does not compress: about 4 MB
    with pytest.raises(services.IdeaError) as refused:
        submit(campaign=campaign, image=upload(out.getvalue(), "noise.png", "image/png"))
    assert "larger than 1 MB" in refused.value.fields["image"][0]


def test_a_video_over_the_duration_limit_is_refused(ing, make_campaign, submit, videos):
    campaign = make_campaign(ing, slug="short", title="Short", video_max_seconds=5)
    with pytest.raises(services.IdeaError) as refused:
        submit(campaign=campaign, video=video_upload(videos["long"]))
    assert "lasts 6 seconds" in refused.value.fields["video"][0]
    assert "at most 5" in refused.value.fields["video"][0]
    with scope(tenant=ing):
        assert Idea.objects.count() == 0


def test_a_corrupt_mp4_is_refused(genios, submit, ing, videos):
    message = _refused(submit, ing, "video", video=video_upload(videos["corrupt"]))
    assert "cannot be read" in message


def test_a_php_file_named_mp4_is_refused(genios, submit, ing):
    message = _refused(submit, ing, "video", video=upload(PHP_AS_JPG, "x.mp4", "video/mp4"))
    assert "not a video we accept" in message


def test_an_image_sent_as_a_video_is_refused(genios, submit, ing):
    message = _refused(submit, ing, "video", video=upload(image_bytes(), "x.mp4", "video/mp4"))
    assert "not a video we accept" in message


# --- Rendered by the media service --------------------------------------------------------------


def _process(ing, idea, django_capture_on_commit_callbacks):
    with scope(tenant=ing):
        row = Media.objects.get(idea=idea)
        with django_capture_on_commit_callbacks(execute=True):
            outcome = services.media_process(media_id=row.pk)
        row.refresh_from_db()
        idea.refresh_from_db()
    return outcome, row


def test_an_image_idea_waits_for_its_renditions_then_is_published(
    ing, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        idea = submit(
            image=upload(image_bytes(size=(1600, 1200), exif=exif_with_location_and_rotation()))
        )
    assert idea.state == Idea.State.PENDING and idea.is_processing
    assert idea.kind == Idea.Kind.IMAGE
    assert any("media_process" in repr(c) for c in callbacks)  # queued after commit
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready"
    assert idea.state == Idea.State.PUBLISHED and not idea.is_processing
    assert row.status == Media.Status.READY and not row.upload
    sizes = {}
    for field in ("thumbnail", "detail", "share_card"):
        with getattr(row, field).open("rb") as stored, Image.open(stored) as image:
            sizes[field] = image.size
            assert image.format == "JPEG"
            assert not image.getexif()  # no EXIF at all: no location, no camera
    assert sizes["share_card"] == (1200, 630)
    assert sizes["thumbnail"] == (640, 480)
    assert sizes["detail"] == (1200, 1600)  # turned upright (orientation 6)
    assert (row.width, row.height) == (1200, 1600)
    # The original (with its GPS position) is gone from storage.
    folder = Path(settings.MEDIA_ROOT) / "ideas" / str(row.public_id)
    assert sorted(p.name.split("-", 1)[1] for p in folder.iterdir()) == [
        "detail.jpg",
        "share_card.jpg",
        "thumbnail.jpg",
    ]


def test_processing_twice_changes_nothing(ing, submit, django_capture_on_commit_callbacks):
    idea = submit(image=upload(image_bytes()))
    assert _process(ing, idea, django_capture_on_commit_callbacks)[0] == "ready"
    assert _process(ing, idea, django_capture_on_commit_callbacks)[0] == "skipped"


@pytest.mark.parametrize(
    ("fmt", "mode", "name"),
    [("PNG", "RGBA", "alpha.png"), ("WEBP", "RGB", "photo.webp"), ("HEIF", "RGB", "iphone.heic")],
)
def test_png_webp_and_heic_are_accepted(
    ing, submit, django_capture_on_commit_callbacks, fmt, mode, name
):
    idea = submit(image=upload(image_bytes(fmt, size=(640, 480), mode=mode), name, "image/x"))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready" and idea.state == Idea.State.PUBLISHED
    assert row.detected_format == {"HEIF": "HEIF"}.get(fmt, fmt)


def test_an_image_damaged_past_its_header_sends_the_idea_back_to_draft(
    ing, pat, submit, django_capture_on_commit_callbacks
):
    good = image_bytes(size=(800, 600))
    # Header and end marker intact, the scan data in between destroyed.
    damaged = good[:600] + b"\xff\xd9\x00" * 200 + good[-2:]
    idea = submit(image=upload(damaged))
    before = stored_files()
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "failed"
    assert idea.state == Idea.State.DRAFT and idea.hold_reasons == []
    assert row.status == Media.Status.FAILED and "damaged" in row.failure
    assert len(stored_files()) < len(before)  # the upload is deleted
    with scope(tenant=ing):
        note = Notification.objects.get(recipient=pat, event="idea.media_failed")
    assert note.context["reason"] == row.failure
    assert note.context["url"] == f"/ideas/{idea.public_id}/edit/"


def _probe(path, ffprobe="ffprobe") -> dict:
    result = subprocess.run(
        [ffprobe, "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
         str(path)],
        capture_output=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("key", "content_type", "expected_size", "audio"),
    [
        ("mp4", "video/mp4", (1280, 720), True),
        ("mov", "video/quicktime", (360, 640), False),
        ("webm", "video/webm", (320, 240), False),
    ],
)
def test_videos_are_transcoded_to_h264_aac_at_most_720p_with_a_poster(
    ing, submit, videos, django_capture_on_commit_callbacks, key, content_type, expected_size, audio
):
    idea = submit(video=video_upload(videos[key], content_type))
    assert idea.kind == Idea.Kind.VIDEO and idea.state == Idea.State.PENDING
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready" and idea.state == Idea.State.PUBLISHED
    probe = _probe(row.video.path)
    codecs = {s["codec_type"]: s for s in probe["streams"]}
    assert codecs["video"]["codec_name"] == "h264"
    assert (codecs["video"]["width"], codecs["video"]["height"]) == expected_size
    assert ("audio" in codecs) is audio
    if audio:
        assert codecs["audio"]["codec_name"] == "aac"
    assert "mp4" in probe["format"]["format_name"]
    with row.share_card.open("rb") as card, Image.open(card) as image:
        assert image.size == (1200, 630)
    assert row.detail and row.thumbnail and 0 < row.duration <= 3


TOOL_NAMES = (b"Lavf", b"Lavc", b"x264", b"libx264")


def test_video_renditions_do_not_say_which_encoder_made_them(
    ing, submit, videos, django_capture_on_commit_callbacks
):
    idea = submit(video=video_upload(videos["mp4"]))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready"
    for field in ("thumbnail", "detail", "share_card"):
        with getattr(row, field).open("rb") as stored:
            content = stored.read()
        with Image.open(io.BytesIO(content)) as image:
            assert "comment" not in image.info, field  # ffmpeg's "Lavc59.37.100"
        assert not [name for name in TOOL_NAMES if name in content], field
    video = Path(row.video.path).read_bytes()
    assert not [name for name in TOOL_NAMES if name in video]
    probe = _probe(row.video.path)
    assert "encoder" not in probe["format"].get("tags", {})
    for stream in probe["streams"]:
        assert "encoder" not in stream.get("tags", {}), stream["codec_type"]


def test_an_uploaded_jpeg_comment_is_not_kept(ing, submit, django_capture_on_commit_callbacks):
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(out, "JPEG", comment=b"Tracked by X")
    idea = submit(image=upload(out.getvalue()))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready"
    for field in ("thumbnail", "detail", "share_card"):
        with getattr(row, field).open("rb") as stored:
            assert b"Tracked by X" not in stored.read(), field


def test_a_video_with_a_few_damaged_frames_is_published_as_ffmpeg_renders_it(
    ing, submit, damaged_videos, django_capture_on_commit_callbacks
):
    idea = submit(video=video_upload(damaged_videos["scratched"]))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready" and idea.state == Idea.State.PUBLISHED
    assert 3.5 < row.duration <= 4.1  # every frame kept, the damaged ones concealed
    assert _probe(row.video.path)["streams"][0]["codec_name"] == "h264"


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("cut_short", "of the 4.0 seconds of this video could be read"),
        ("destroyed", "cannot be converted: it may be damaged"),
    ],
)
def test_a_video_too_damaged_to_play_is_refused_with_the_reason(
    ing, pat, submit, damaged_videos, django_capture_on_commit_callbacks, damage, reason
):
    idea = submit(video=video_upload(damaged_videos[damage]))  # its headers are fine
    before = stored_files()
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "failed"
    assert idea.state == Idea.State.DRAFT
    assert row.status == Media.Status.FAILED and reason in row.failure
    assert not row.video and len(stored_files()) < len(before)
    with scope(tenant=ing):
        note = Notification.objects.get(recipient=pat, event="idea.media_failed")
    assert note.context["reason"] == row.failure


def test_a_transcode_that_takes_too_long_is_refused_with_a_reason(
    ing, pat, submit, videos, settings, django_capture_on_commit_callbacks
):
    settings.IDEAS_VIDEO_TRANSCODE_SECONDS = 0.01
    idea = submit(video=video_upload(videos["mp4"]))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "failed" and "too long" in row.failure
    assert idea.state == Idea.State.DRAFT


def test_replacing_the_file_while_it_is_processed_keeps_the_new_one(
    ing, pat, submit, django_capture_on_commit_callbacks
):
    idea = submit(image=upload(image_bytes()))
    with scope(tenant=ing):
        first = Media.objects.get(idea=idea)
        Media.objects.filter(pk=first.pk).update(claimed_at=None)
        services.idea_update(idea=idea, actor=pat, image=upload(image_bytes(colour=(0, 0, 255))))
        assert Media.objects.filter(pk=first.pk).count() == 0
        assert services.media_process(media_id=first.pk) == "skipped"


# --- Headers only -------------------------------------------------------------------------------


def test_sniffing_ignores_names_and_reads_the_first_bytes():
    assert media.sniff(image_bytes()[:64]) == "JPEG"
    assert media.sniff(image_bytes("PNG")[:64]) == "PNG"
    assert media.sniff(image_bytes("WEBP")[:64]) == "WEBP"
    assert media.sniff(image_bytes("HEIF")[:64]) == "HEIF"
    assert media.sniff(PHP_AS_JPG) is None
    assert media.sniff(SVG_WITH_SCRIPT) is None


def test_portrait_videos_fit_720_by_1280_and_are_never_enlarged():
    info = media.VideoInfo("mp4", 1920, 1080, 3.0, True, rotation=90)
    assert media.video_target_size(info) == (720, 1280)
    assert media.video_target_size(media.VideoInfo("mp4", 3840, 2160, 3.0, True)) == (1280, 720)
    assert media.video_target_size(media.VideoInfo("mp4", 321, 241, 3.0, True)) == (320, 240)


def test_loading_the_media_pipeline_leaves_pillows_global_limit_alone():
    import importlib

    from PIL import Image

    import ideas.media

    before = Image.MAX_IMAGE_PIXELS
    importlib.reload(ideas.media)
    assert before == Image.MAX_IMAGE_PIXELS
    assert before != ideas.media.MAX_PIXELS  # our limit is our own


# --- A machine without the system's ffmpeg ---------------------------------------------------


@pytest.fixture
def no_system_ffmpeg(monkeypatch, tmp_path):
    """PATH without ffmpeg or ffprobe, as on a fresh machine: the wheel's
    ffmpeg is what is left. The system's ffprobe stays at hand for the checks."""
    system_ffprobe = subprocess.run(
        ["sh", "-c", "command -v ffprobe"], capture_output=True, text=True, check=True
    ).stdout.strip()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(settings, "FFMPEG", "")
    monkeypatch.setattr(settings, "FFPROBE", "")
    return system_ffprobe


def test_without_the_systems_ffmpeg_the_wheels_binary_is_used(no_system_ffmpeg):
    import imageio_ffmpeg

    assert media.ffmpeg_binary() == imageio_ffmpeg.get_ffmpeg_exe()
    assert media.ffprobe_binary() is None


@pytest.mark.parametrize("key", ["mp4", "mov", "webm", "long"])
def test_ffmpegs_reading_of_a_video_matches_ffprobes(videos, no_system_ffmpeg, key):
    from_ffmpeg = media.video_info(media.ffprobe(videos[key]), max_seconds=60)
    assert from_ffmpeg == media.video_info(_probe(videos[key], no_system_ffmpeg), max_seconds=60)


def test_ffmpegs_reading_keeps_a_phones_rotation():
    text = (
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0042.MOV':\n"
        "  Duration: 00:00:03.52, start: 0.000000, bitrate: 9100 kb/s\n"
        "  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, "
        "bt709), 1920x1080, 8955 kb/s, 29.98 fps, 30 tbr, 600 tbn (default)\n"
        "      Metadata:\n"
        "        handler_name    : Core Media Video\n"
        "      Side data:\n"
        "        displaymatrix: rotation of -90.00 degrees\n"
        "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono\n"
        "  Stream #0:2[0x3](und): Video: mjpeg (Baseline), yuvj420p, 320x240 (attached pic)\n"
    )
    info = media.video_info(media.parse_ffmpeg_input(text), max_seconds=60)
    assert (info.width, info.height, info.rotation) == (1920, 1080, 270)
    assert info.has_audio and info.duration == pytest.approx(3.52)
    assert media.video_target_size(info) == (720, 1280)


def test_a_corrupt_video_is_refused_by_ffmpegs_reading_too(
    genios, submit, ing, videos, no_system_ffmpeg
):
    message = _refused(submit, ing, "video", video=video_upload(videos["corrupt"]))
    assert "cannot be read" in message


def test_a_video_idea_is_transcoded_by_the_wheels_ffmpeg(
    ing, submit, videos, django_capture_on_commit_callbacks, no_system_ffmpeg
):
    idea = submit(video=video_upload(videos["mp4"]))
    outcome, row = _process(ing, idea, django_capture_on_commit_callbacks)
    assert outcome == "ready" and idea.state == Idea.State.PUBLISHED
    probe = _probe(row.video.path, no_system_ffmpeg)
    codecs = {s["codec_type"]: s for s in probe["streams"]}
    assert codecs["video"]["codec_name"] == "h264" and codecs["audio"]["codec_name"] == "aac"
    assert (codecs["video"]["width"], codecs["video"]["height"]) == (1280, 720)
    assert 1.5 < row.duration <= 2.1
    assert not [name for name in TOOL_NAMES if name in Path(row.video.path).read_bytes()]
