"""The submission form's server side of what its script does: nothing cut short
in silence (a pasted text over the limit is refused with a field error), the
challenge's limits handed to the browser, the saved idea's address for the
script that sent it with a progress bar, and a body that stops in the middle
of its file (cancelled, or the connection lost) writes nothing."""

import json
import re

import pytest
from django_scopes import scope

from ideas.models import Idea, Media
from tests.ideas.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db

FORM = "/challenges/genios-del-ahorro/ideas/new/"


def test_a_pasted_text_over_the_limit_is_refused_whole_with_a_field_error(
    genios, pat, client_for, ing
):
    client = client_for(ing, pat)
    form = client.get(FORM).text
    textarea = re.search(r"<textarea[^>]*>", form).group(0)
    assert "maxlength" not in textarea  # a browser would silently keep the first 500
    assert 'data-max-chars="500"' in textarea
    pasted = "ahorra " * 1428 + "ahor"  # 10,000 characters
    response = client.post(FORM, {"title": "Ahorro largo", "body": pasted, "submit": "1"})
    assert response.status_code == 400
    page = response.text
    assert "Your text is 10000 characters long; this challenge takes 500 at most." in page
    assert 'id="body-error"' in page and 'aria-invalid="true"' in page
    assert pasted in page  # given back whole, for the author to shorten
    with scope(tenant=ing):
        assert not Idea.objects.exists()


def test_the_form_gives_the_browser_the_challenges_limits(ing, make_campaign, pat, client_for):
    make_campaign(ing, allow_video=True, video_max_mb=50, video_max_seconds=45, image_max_mb=8)
    form = client_for(ing, pat).get(FORM).text
    assert re.search(r'id="id_video"[^>]*data-max-bytes="52428800" data-max-seconds="45"', form)
    assert re.search(r'id="id_image"[^>]*data-max-bytes="8388608"', form)
    assert 'capture="environment"' in form and 'accept="image/*"' in form
    assert '<progress id="upload-bar"' in form and "ideas/js/idea-form.js" in form
    assert f'data-draft-key="ruche:idea-draft:{_campaign_id(ing)}:{pat.public_id}"' in form


def _campaign_id(ing):
    from campaigns.models import Campaign

    with scope(tenant=ing):
        return Campaign.objects.get(slug="genios-del-ahorro").public_id


def test_the_forms_script_gets_the_saved_ideas_address(genios, pat, client_for, ing):
    client = client_for(ing, pat)
    response = client.post(
        FORM,
        {"title": "Foto del ticket", "body": "Guarda los tickets", "image": upload(image_bytes()),
         "submit": "1"},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code == 200
    with scope(tenant=ing):
        idea = Idea.objects.get()
    assert json.loads(response.content) == {"url": f"/ideas/{idea.public_id}/"}
    page = client.get(f"/ideas/{idea.public_id}/").text
    assert "Thank you! Your file is being processed." in page


def _multipart(boundary: str, fields: dict, file_field: str, content: bytes) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts)


def test_a_body_that_stops_inside_its_file_writes_nothing(genios, pat, client_for, ing):
    client = client_for(ing, pat)
    client.get(FORM)
    boundary = "ruche-test-boundary"
    body = _multipart(
        boundary,
        {"csrfmiddlewaretoken": "", "title": "Foto del ticket", "body": "Guarda los tickets",
         "submit": "1"},
        "image",
        image_bytes(size=(1200, 900)),
    )  # fmt: skip
    cut = body[: len(body) - 2000]  # the sender cancelled while the photo was on its way
    response = client.generic(
        "POST", FORM, cut, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "The sending was interrupted before the end: nothing was saved." in response.text
    with scope(tenant=ing):
        assert not Idea.objects.exists() and not Media.objects.exists()
    # The same body, whole, is taken.
    response = client.generic(
        "POST", FORM, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302


def test_the_api_refuses_a_body_that_stops_inside_its_file(genios, pat, client_for, ing):
    boundary = "ruche-test-boundary"
    body = _multipart(
        boundary, {"title": "Foto", "body": "Texto"}, "image", image_bytes(size=(1200, 900))
    )
    response = client_for(ing, pat).generic(
        "POST",
        "/api/v1/challenges/genios-del-ahorro/ideas",
        body[: len(body) - 2000],
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_interrupted"
    with scope(tenant=ing):
        assert not Idea.objects.exists() and not Media.objects.exists()
