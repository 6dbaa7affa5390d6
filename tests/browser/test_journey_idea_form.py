"""The idea form on a phone, with its script: a 12-megapixel photo made lighter
before it leaves the phone, a progress bar that moves, the idea's page going
from "processing" to "published" by itself; the counters and the over-limit
error, a cancelled upload that leaves nothing, a too-long video refused before
anything is sent, and a draft kept on the device across a reload.

`SCREENSHOTS_DIR=docs/screenshots make test PYTEST_ARGS=tests/browser/test_journey_idea_form.py`
remakes the README's screenshots of the form (390 and 1366 px wide)."""

import contextlib
import io
import logging
import os
import subprocess
from pathlib import Path

import pytest
from django_scopes import scope
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import media
from ideas.models import Idea, Media
from tests.campaigns.conftest import this_monday
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "/challenges/genios-del-ahorro/ideas/new/"
PROGRESS_BETWEEN = (
    "() => { const bar = document.querySelector('#upload-bar');"
    " return bar && bar.value > 0 && bar.value < 100; }"
)


def _challenge(ing, owner, **overrides):
    with scope(tenant=ing):
        values = genios_del_ahorro(this_monday())
        values.update(overrides)
        genios = campaign_services.campaign_create(tenant=ing, actor=owner, **values)
        return campaign_services.campaign_publish(campaign=genios, actor=owner)


def _signed_in(page, client_for, ing, user, tenant_url):
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=user, version=1, display_name="Pat")
    client = client_for(ing, user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value,
             "url": tenant_url(ing)},
            {"name": "django_language", "value": "en", "url": tenant_url(ing)},
        ]
    )  # fmt: skip


def _slow_upload(page, bytes_per_second: int) -> None:
    """The phone's connection: uploads at `bytes_per_second` (Chromium's own
    network emulation), so the progress bar has time to be seen."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1,
         "uploadThroughput": bytes_per_second},
    )  # fmt: skip


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def photo_12mp() -> bytes:
    """A 4000 x 3000 JPEG (about 4 MB) taken with the phone turned (EXIF
    orientation 6): a picture with enough detail that it does not compress
    to nothing."""
    size = (4000, 3000)
    texture = Image.effect_noise((1000, 750), 60).resize(size, Image.Resampling.BILINEAR)
    ramp = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 25)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.merge("RGB", (texture, ramp, grain)).save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def worker_later(transactional_db):
    """A real Celery worker, started when the test says so (the idea's page is
    first seen while its photo waits in the queue)."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    with contextlib.ExitStack() as stack:
        yield lambda: stack.enter_context(
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
        )


def test_a_12_megapixel_photo_is_made_lighter_sent_with_progress_and_published(
    ing, owner, participant, phone, client_for, tenant_url, worker_later
):
    _challenge(ing, owner)
    _signed_in(phone, client_for, ing, participant, tenant_url)
    phone.goto(tenant_url(ing, FORM))
    original = photo_12mp()

    phone.get_by_label("Title").fill("Foto del ticket de la compra")
    phone.get_by_label("Your idea").fill("Fotografía cada ticket y compara precios cada semana.")
    phone.get_by_label("Image", exact=True).set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}
    )
    # The preview shows the lighter copy: 2560 px on its longest side, upright.
    facts = phone.locator("#image-preview .media-preview-facts")
    expect(facts).to_contain_text("1920 \u00d7 2560")
    expect(phone.locator("#image-preview img")).to_be_visible()
    _screenshot(phone, "idea-form-phone")

    _slow_upload(phone, 384 * 1024)
    phone.get_by_role("button", name="Submit my idea").click()
    expect(phone.locator("#upload-progress")).to_be_visible()
    phone.wait_for_function(PROGRESS_BETWEEN)  # the bar moves before the end

    phone.wait_for_url("**/ideas/*/")
    status = phone.locator("#idea-status")
    expect(status).to_contain_text("Processing your file")
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.includes('idea-draft'))") == []

    # What the server received is the lighter copy, not the 4 MB original.
    with scope(tenant=ing):
        idea = Idea.objects.get()
        row = Media.objects.get(idea=idea)
        with row.upload.open("rb") as stored:
            received = stored.read()
    assert len(received) < len(original) // 2
    with Image.open(io.BytesIO(received)) as sent:
        assert sent.size == (1920, 2560)  # upright: the orientation was applied
        assert sent.getexif().get(0x0112) in (None, 1)

    phone.evaluate("window.beforeTheWorker = true")
    worker_later()
    # The page polls its status and reloads itself once the photo is rendered.
    expect(status).to_contain_text("Published")
    assert phone.evaluate("window.beforeTheWorker === undefined")  # a new page
    expect(phone.locator("img.idea-image")).to_have_attribute("width", "1920")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with scope(tenant=ing):
        idea.refresh_from_db()
    assert idea.state == Idea.State.PUBLISHED


def test_the_counter_shows_a_pasted_text_over_the_limit_and_nothing_is_sent(
    ing, owner, participant, phone, client_for, tenant_url
):
    _challenge(ing, owner)
    _signed_in(phone, client_for, ing, participant, tenant_url)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.goto(tenant_url(ing, FORM))
    phone.get_by_label("Title").fill("Ahorro largo")
    counter = phone.locator("#body-help")
    expect(counter).to_have_text("0 of 500 characters")

    pasted = "ahorra " * 1428 + "ahor"  # 10,000 characters
    phone.get_by_label("Your idea").fill(pasted)
    assert len(phone.get_by_label("Your idea").input_value()) == 10_000  # nothing cut
    expect(counter).to_have_text("10000 of 500 characters")
    expect(counter).to_have_class("help char-count char-count-live char-count-over")
    error = phone.locator("#id_body-over")
    expect(error).to_have_text(
        "Your text is 10000 characters long; this challenge takes 500 at most."
    )
    expect(phone.get_by_label("Your idea")).to_have_attribute("aria-invalid", "true")

    phone.get_by_role("button", name="Submit my idea").click()
    phone.get_by_role("button", name="Save as draft").click()
    expect(phone.get_by_label("Your idea")).to_be_focused()
    assert posts == []

    phone.get_by_label("Your idea").fill("Redondea cada compra y ahorra la diferencia.")
    expect(counter).to_have_text("44 of 500 characters")
    expect(error).to_be_hidden()
    with scope(tenant=ing):
        assert not Idea.objects.exists()


def test_cancelling_an_upload_leaves_nothing(
    ing, owner, participant, phone, client_for, tenant_url, caplog
):
    caplog.set_level(logging.INFO, logger="ideas.uploads")
    _challenge(ing, owner)
    _signed_in(phone, client_for, ing, participant, tenant_url)
    phone.goto(tenant_url(ing, FORM))
    phone.get_by_label("Title").fill("Una idea que no se envía")
    phone.get_by_label("Your idea").fill("Me arrepiento antes de que llegue.")
    phone.get_by_label("Image", exact=True).set_input_files(
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": photo_12mp()}
    )
    expect(phone.locator("#image-preview .media-preview-facts")).to_contain_text("1920 \u00d7 2560")

    _slow_upload(phone, 64 * 1024)
    phone.get_by_role("button", name="Submit my idea").click()
    phone.wait_for_function(PROGRESS_BETWEEN)
    phone.get_by_role("button", name="Cancel").click()

    expect(phone.locator("#upload-error")).to_have_text("Sending cancelled: nothing was saved.")
    expect(phone.locator("#upload-progress")).to_be_hidden()
    expect(phone.get_by_role("button", name="Submit my idea")).to_be_enabled()
    # The server saw the body stop inside the photo and refused it whole: the
    # upload handler says so, or (the connection reset rather than closed)
    # reading the form failed before its token could be checked.
    wait_for(
        lambda: any(
            "upload interrupted" in r.getMessage() or FORM in r.getMessage() for r in caplog.records
        )
    )
    with scope(tenant=ing):
        assert not Idea.objects.exists() and not Media.objects.exists()


def _video(path: Path, seconds: int) -> Path:
    subprocess.run(
        [media.ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc=size=160x120:rate=10:duration={seconds}",
         "-c:v", "libvpx", "-b:v", "100k", str(path)],
        check=True,
    )  # fmt: skip
    return path


def test_a_video_longer_than_the_challenge_takes_is_refused_before_it_is_sent(
    ing, owner, participant, phone, client_for, tenant_url, tmp_path
):
    _challenge(ing, owner, allow_video=True, video_max_seconds=5)
    _signed_in(phone, client_for, ing, participant, tenant_url)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.goto(tenant_url(ing, FORM))
    picker = phone.get_by_label("Video", exact=True)
    assert picker.get_attribute("data-max-seconds") == "5"

    picker.set_input_files(str(_video(tmp_path / "long.webm", 6)))
    expect(phone.locator("#video-check")).to_have_text(
        "The video lasts 6 seconds; this challenge accepts at most 5."
    )
    assert picker.evaluate("input => input.files.length") == 0  # nothing left to send
    expect(phone.locator("#video-preview")).to_be_hidden()

    picker.set_input_files(str(_video(tmp_path / "short.webm", 2)))
    expect(phone.locator("#video-check")).to_be_hidden()
    expect(phone.locator("#video-preview .media-preview-facts")).to_contain_text("2 s")
    assert posts == []


def _piggy_bank() -> bytes:
    image = Image.new("RGB", (1200, 900), (255, 236, 224))
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 250, 900, 700), fill=(255, 98, 0))
    draw.ellipse((820, 380, 960, 520), fill=(255, 140, 60))
    for x in (420, 720):
        draw.rectangle((x, 640, x + 60, 780), fill=(204, 78, 0))
    draw.rectangle((540, 230, 660, 260), fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("width", [390, 1366])
def test_what_is_typed_survives_a_reload_until_it_is_discarded(
    ing, owner, participant, browser, client_for, tenant_url, width
):
    _challenge(ing, owner)
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        _signed_in(page, client_for, ing, participant, tenant_url)
        page.goto(tenant_url(ing, FORM))
        page.get_by_label("Title").fill("Hucha por objetivos")
        page.get_by_label("Your idea").fill("Una hucha para cada meta: vacaciones, coche, casa.")
        page.get_by_label("Tags (optional)").fill("metas, hucha")
        page.wait_for_function(
            "() => Object.keys(localStorage).some(k => k.includes('idea-draft')"
            " && localStorage.getItem(k).includes('vacaciones, coche, casa'))"
        )
        page.reload()
        expect(page.get_by_label("Title")).to_have_value("Hucha por objetivos")
        expect(page.get_by_label("Your idea")).to_have_value(
            "Una hucha para cada meta: vacaciones, coche, casa."
        )
        expect(page.get_by_label("Tags (optional)")).to_have_value("metas, hucha")
        expect(page.locator("#draft-restored")).to_contain_text(
            "We restored the idea you were writing on this device."
        )
        expect(page.locator("#body-help")).to_have_text("50 of 500 characters")
        if width == 1366:
            page.get_by_label("Image", exact=True).set_input_files(
                {"name": "hucha.png", "mimeType": "image/png", "buffer": _piggy_bank()}
            )
            expect(page.locator("#image-preview img")).to_be_visible()
            _screenshot(page, "idea-form-desktop")

        page.get_by_role("button", name="Start again").click()
        expect(page.get_by_label("Title")).to_have_value("")
        page.reload()
        expect(page.get_by_label("Your idea")).to_have_value("")
        expect(page.locator("#draft-restored")).to_be_hidden()
    finally:
        context.close()
