"""A brand's site is installable: manifest, icons, favicon, offline page and the
service worker that shows it (issue 20, item 6)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenants.branding import palette

pytestmark = pytest.mark.django_db


def _png(colour=(0, 130, 195), size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_manifest_names_the_brand_in_its_colours_and_language(decathlon, client_for):
    decathlon.primary_colour = "#0082c3"
    decathlon.save(update_fields=["primary_colour"])
    response = client_for(decathlon).get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Decathlon"
    assert data["short_name"] == "Decathlon"
    assert data["lang"] == "fr"
    assert data["start_url"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == palette("#0082c3")["fill"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


def test_a_long_name_gets_its_initials_as_short_name(ing, client_for):
    data = json.loads(client_for(ing).get("/manifest.webmanifest").content)
    assert data["name"] == "ING Direct"
    assert data["short_name"] == "ING Direct"  # 10 characters: kept
    ing.name = "ING Direct España"
    ing.save(update_fields=["name"])
    data = json.loads(client_for(ing).get("/manifest.webmanifest").content)
    assert data["short_name"] == "ID"


def test_the_manifest_shows_nothing_of_another_tenant(ing, decathlon, client_for):
    body = client_for(decathlon).get("/manifest.webmanifest").text
    assert "ING" not in body
    assert palette(ing.primary_colour)["fill"] not in body


@pytest.mark.parametrize("size", [32, 180, 192, 512])
def test_icons_are_drawn_at_each_size_from_the_initials(ing, client_for, size):
    response = client_for(ing).get(f"/icons/{size}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.size == (size, size)
    # The corner wears ING's colour (as a background: its fill).
    fill = palette("#ff6200")["fill"]
    assert picture.convert("RGB").getpixel((1, 1)) == tuple(
        int(fill[i : i + 2], 16) for i in (1, 3, 5)
    )
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert response["ETag"]


def test_an_icon_is_drawn_from_the_logo_when_there_is_one(ing, client_for):
    ing.logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    ing.save(update_fields=["logo"])
    picture = Image.open(io.BytesIO(client_for(ing).get("/icons/192.png").content)).convert("RGB")
    assert picture.getpixel((2, 2)) == (255, 255, 255)  # the margin around the logo
    assert picture.getpixel((96, 96)) == (0, 130, 195)  # the logo, in the middle


def test_a_new_logo_changes_the_icons_version(ing, client_for):
    before = client_for(ing).get("/icons/192.png")
    ing.logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    ing.save(update_fields=["logo"])
    after = client_for(ing).get("/icons/192.png")
    assert before["ETag"] != after["ETag"]
    assert before.content != after.content


def test_an_unchanged_icon_is_not_sent_again(ing, client_for):
    first = client_for(ing).get("/icons/192.png")
    again = client_for(ing).get("/icons/192.png", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_icons_of_two_tenants_differ(ing, decathlon, client_for):
    assert (
        client_for(ing).get("/icons/192.png").content
        != client_for(decathlon).get("/icons/192.png").content
    )


def test_an_unknown_icon_size_is_404(ing, client_for):
    assert client_for(ing).get("/icons/64.png").status_code == 404


def test_the_favicon_is_an_icon_file_per_brand(ing, decathlon, client_for):
    response = client_for(ing).get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(picture.info["sizes"])
    assert "public" in response["Cache-Control"]
    assert response.content != client_for(decathlon).get("/favicon.ico").content


def test_the_platform_host_has_its_own_favicon(client_for):
    response = client_for(None).get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


def test_pages_link_the_manifest_and_icons(ing, client_for):
    body = client_for(ing).get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert 'rel="icon" href="/favicon.ico?v=' in body
    assert 'rel="apple-touch-icon" href="/icons/180.png?v=' in body
    assert 'data-service-worker="/sw.js"' in body


def test_the_offline_page_is_the_brands_and_names_no_one(ing, participant, client_for):
    response = client_for(ing, participant).get("/offline/")
    assert response.status_code == 200
    body = response.text
    assert '<html lang="es">' in body
    assert "Sin conexión" in body
    assert "ING Direct" in body
    assert "Pat" not in body  # the participant's name: the page is kept in the browser
    assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body
    assert "<script" not in body


def test_the_service_worker_keeps_the_offline_page_only(ing, client_for):
    response = client_for(ing).get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.text
    assert 'const OFFLINE_URL = "/offline/";' in body
    assert body.count("cache.add(") == 1  # one page put in the cache, nothing else
    assert "cache.put" not in body
