"""Screenshot baselines: the key pages at 390 and 1366 px, compared pixel by pixel
with the images under tests/browser/baselines/, so a layout regression fails.

The demo (`seed_demo`) is loaded with the clock stopped at a fixed Wednesday, and
the pages are seen two hours later, server and browser alike: dates, countdowns
and "2 hours ago" read the same on every run; animations are off and the caret
hidden. Where one page still changes between runs, `MASKS` covers it.

A page passes when at most `MAX_CHANGED_SHARE` of its pixels differ by more than
`PIXEL_THRESHOLD` (out of 255, on any channel) and its size is the same. A failure
leaves the page as seen and a picture of the differences (in red) under
.local/baseline-diffs/.

    UPDATE_BASELINES=1 make test PYTEST_ARGS=tests/browser/test_baselines.py

rewrites the baselines on purpose (look at them before committing). With
SCREENSHOTS_DIR set, the README's screenshots are written there too
(`make screenshots`)."""

import datetime as dt
import io
import os
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scope, scopes_disabled
from PIL import Image, ImageChops

from accounts.models import User
from ideas.models import Idea
from tenants.models import Tenant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASELINES = Path(__file__).parent / "baselines"
DIFFS = Path(__file__).resolve().parents[2] / ".local" / "baseline-diffs"
UPDATE = os.environ.get("UPDATE_BASELINES") == "1"
WIDTHS = {"phone": 390, "desktop": 1366}
PIXEL_THRESHOLD = 48
# Runs on one machine give the very same pixels; 1 % let every title centred by
# mistake through on a long page, 0.1 % catches it.
MAX_CHANGED_SHARE = 0.001

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
SEEDED_AT = dt.datetime(2026, 3, 4, 10, 0, tzinfo=MADRID)  # a Wednesday morning
SEEN_AT = SEEDED_AT + dt.timedelta(hours=2)

# (name, tenant, path, who is signed in). {idea} is the first demo tip with a photo.
PAGES = [
    ("challenge", "ing", "/challenges/genios-del-ahorro/", None),
    ("gallery", "ing", "/challenges/genios-del-ahorro/ideas/", None),
    ("idea", "ing", "/ideas/{idea}/", None),
    ("idea-form", "ing", "/challenges/genios-del-ahorro/ideas/new/", "ana@example.com"),
    ("winners", "auchan", "/challenges/astuces-de-la-maison/winners/", None),
    ("payout-details", "auchan", "/me/payouts/", "ana@example.com"),
    ("console-overview", "ing", "/console/", "owner@ing.localhost"),
]
# CSS selectors painted over before the comparison (nothing needed so far).
MASKS: dict[str, list[str]] = {}
# The README's screenshots (docs/screenshots/<page>-<width>.png), made with
# SCREENSHOTS_DIR: the page's height kept, or only its first N pixels.
README_SHOTS = {
    ("challenge", "phone"): 2 * 844,  # the first two screens, where the ideas start
    ("winners", "phone"): None,
    ("winners", "desktop"): None,
    ("payout-details", "phone"): None,
    ("payout-details", "desktop"): None,
}
# Every picture loaded, below the fold too (lazy ones would depend on scrolling).
LOAD_ALL_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach((image) => { image.loading = "eager"; });
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
}"""
# Motion off, the text caret hidden: what the comparison must not see.
STILL = (
    "*, *::before, *::after { animation: none !important; transition: none !important;"
    " caret-color: transparent !important; scroll-behavior: auto !important; }"
)


def changed_share(expected: Image.Image, actual: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels that differ by more than PIXEL_THRESHOLD on some
    channel, and a picture of them (red on a faded copy of the baseline)."""
    difference = ImageChops.difference(expected.convert("RGB"), actual.convert("RGB"))
    strongest = Image.eval(
        ImageChops.lighter(ImageChops.lighter(*difference.split()[:2]), difference.split()[2]),
        lambda value: 255 if value > PIXEL_THRESHOLD else 0,
    )
    changed = strongest.histogram()[255]
    faded = Image.blend(expected.convert("RGB"), Image.new("RGB", expected.size, "white"), 0.7)
    faded.paste((255, 0, 0), mask=strongest)
    return changed / (expected.width * expected.height), faded


def compare(name: str, shot: bytes, failures: list[str]) -> None:
    baseline = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        baseline.write_bytes(shot)
        return
    if not baseline.exists():
        failures.append(f"{name}: no baseline; make it with UPDATE_BASELINES=1")
        return
    actual = Image.open(io.BytesIO(shot))
    with Image.open(baseline) as expected:
        expected.load()
    DIFFS.mkdir(parents=True, exist_ok=True)
    if expected.size != actual.size:
        (DIFFS / f"{name}.png").write_bytes(shot)
        failures.append(f"{name}: {actual.size} instead of {expected.size} (see {DIFFS.name}/)")
        return
    share, picture = changed_share(expected, actual)
    if share > MAX_CHANGED_SHARE:
        (DIFFS / f"{name}.png").write_bytes(shot)
        picture.save(DIFFS / f"{name}-diff.png")
        failures.append(f"{name}: {share:.2%} of the pixels changed (see {DIFFS.name}/)")


def save_readme_shot(shot: bytes, path: Path, height: int | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(io.BytesIO(shot)) as image:
        if height is not None and image.height > height:
            image = image.crop((0, 0, image.width, height))
        image.save(path, optimize=True)


def _session_cookie(client_for, tenant, email, url):
    user = User.objects.get(email=email)
    client = client_for(tenant, user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]


def _first_tip_with_a_photo(ing) -> str:
    with scope(tenant=ing):
        idea = (
            Idea.objects.filter(state=Idea.State.PUBLISHED, campaign__slug="genios-del-ahorro")
            .exclude(media=None)
            .order_by("created_at", "pk")
            .first()
        )
    return str(idea.public_id)


def test_the_key_pages_look_as_their_baselines(browser, client_for, tenant_url):
    with time_machine.travel(SEEDED_AT, tick=True):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with scopes_disabled():
        tenants = {t.slug: t for t in Tenant.objects.filter(slug__in=["ing", "auchan"])}
    idea = _first_tip_with_a_photo(tenants["ing"])
    failures: list[str] = []
    screenshots_dir = os.environ.get("SCREENSHOTS_DIR")

    with time_machine.travel(SEEN_AT, tick=True):
        for width_name, width in WIDTHS.items():
            phone = width_name == "phone"
            context = browser.new_context(
                locale="en-US",
                timezone_id="Europe/Madrid",
                viewport={"width": width, "height": 844 if phone else 900},
                is_mobile=phone,
                has_touch=phone,
                reduced_motion="reduce",
                bypass_csp=True,  # the style that stops motion is inline
            )
            page = context.new_page()
            page.clock.set_fixed_time(SEEN_AT)
            for name, slug, path, email in PAGES:
                tenant = tenants[slug]
                url = tenant_url(tenant, path.format(idea=idea))
                context.clear_cookies()
                if email:
                    context.add_cookies(_session_cookie(client_for, tenant, email, url))
                response = page.goto(url)
                assert response.status == 200, f"{name}: {response.status} at {url}"
                page.wait_for_load_state("networkidle")
                page.add_style_tag(content=STILL)
                page.evaluate(LOAD_ALL_IMAGES)
                page.evaluate("document.fonts.ready")
                shot = page.screenshot(
                    full_page=True,
                    animations="disabled",
                    caret="hide",
                    mask=[page.locator(selector) for selector in MASKS.get(name, [])],
                )
                compare(f"{name}-{width_name}", shot, failures)
                if screenshots_dir and (name, width_name) in README_SHOTS:
                    save_readme_shot(
                        shot, Path(screenshots_dir) / f"{name}-{width_name}.png",
                        README_SHOTS[name, width_name],
                    )  # fmt: skip
            context.close()

    assert not failures, "the pages differ from their baselines:\n" + "\n".join(failures)
