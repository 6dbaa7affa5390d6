"""Rate limits on what people do many times: submissions, comments, flags,
follows and search, per person and per network, on the pages and the API.
Over a limit: 429, Retry-After, a message in the person's language, and
nothing written. (The mechanism itself: tests/config/test_ratelimit.py.)"""

import json

import pytest
from django_scopes import scope

from ideas.models import Comment, Flag, Idea
from notifications.models import Follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Set the limits under test, with the clock held still: the counting windows
    are fixed (per minute, per hour), and a test must not straddle two of them
    however slow the machine is."""
    import datetime as dt

    import time_machine

    def set_(**rules):
        settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "") | rules

    start = dt.datetime.now(tz=dt.UTC).replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        yield set_


def assert_limited(response, message, *, window):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= window
    text = (
        response.json()["error"]["message"]
        if "json" in response["Content-Type"]
        else (response.text)
    )
    assert message in text
    assert "Try again in" in text


def count(ing, model, **filters) -> int:
    with scope(tenant=ing):
        return model.objects.filter(**filters).count()


# --- Submissions -----------------------------------------------------------------------------

NEW = "/challenges/genios-del-ahorro/ideas/new/"
API_IDEAS = "/api/v1/challenges/genios-del-ahorro/ideas"


def idea_form(n):
    return {"title": f"Idea número {n}", "body": "Redondear cada compra y ahorrar la diferencia."}


def test_submissions_over_the_limit_are_refused_and_not_written(
    genios, pat, client_for, ing, limits
):
    limits(submissions="2/h/person")
    client = client_for(ing, pat)
    assert client.post(NEW, {"title": ""}).status_code == 400  # refused: does not count
    assert client.post(NEW, idea_form(1)).status_code == 302
    assert client.post(API_IDEAS, idea_form(2), content_type="application/json").status_code == 201
    assert_limited(client.post(NEW, idea_form(3)), "many ideas in a short time", window=3600)
    api = client.post(API_IDEAS, idea_form(4), content_type="application/json")
    assert_limited(api, "many ideas in a short time", window=3600)
    assert api.json()["error"]["code"] == "rate_limited"
    assert count(ing, Idea) == 2
    assert client.get(NEW).status_code == 200  # the form still shows


def test_the_limit_is_per_person(genios, pat, sam, client_for, ing, limits):
    limits(submissions="1/h/person")
    assert client_for(ing, pat).post(NEW, idea_form(1)).status_code == 302
    assert client_for(ing, pat).post(NEW, idea_form(2)).status_code == 429
    assert client_for(ing, sam).post(NEW, idea_form(3)).status_code == 302
    assert count(ing, Idea) == 2


# --- Comments ---------------------------------------------------------------------------------


def test_comments_over_the_limit_are_refused_and_not_written(
    genios, pat, sam, submit, client_for, ing, limits
):
    limits(comments="2/10m/person")
    idea = submit()
    client = client_for(ing, sam)
    page, api = f"/ideas/{idea.public_id}/comments/", f"/api/v1/ideas/{idea.public_id}/comments"
    assert client.post(page, {"body": "Primero"}).status_code == 302
    assert client.post(api, {"body": "Segundo"}, content_type="application/json").status_code == 201
    assert_limited(client.post(page, {"body": "Tercero"}), "commenting very fast", window=600)
    assert_limited(
        client.post(api, {"body": "Cuarto"}, content_type="application/json"),
        "commenting very fast",
        window=600,
    )
    assert count(ing, Comment) == 2
    assert client_for(ing, pat).post(page, {"body": "Otra persona"}).status_code == 302


# --- Flags --------------------------------------------------------------------------------------


def test_flags_over_the_limit_are_refused_and_not_written(
    genios, pat, sam, submit, client_for, ing, limits
):
    limits(flags="2/h/person")
    ideas = [submit(title=f"Idea para marcar {n}") for n in range(4)]
    client = client_for(ing, sam)
    assert client.post(f"/ideas/{ideas[0].public_id}/flag/", {"reason": "bad"}).status_code == 400
    assert client.post(f"/ideas/{ideas[0].public_id}/flag/", {"reason": "spam"}).status_code == 302
    api = client.post(
        f"/api/v1/ideas/{ideas[1].public_id}/flags", {"reason": "spam"}, "application/json"
    )
    assert api.status_code == 201
    assert_limited(
        client.post(f"/ideas/{ideas[2].public_id}/flag/", {"reason": "spam"}),
        "reported a lot in a short time",
        window=3600,
    )
    assert_limited(
        client.post(
            f"/api/v1/ideas/{ideas[3].public_id}/flags", {"reason": "spam"}, "application/json"
        ),
        "reported a lot in a short time",
        window=3600,
    )
    assert count(ing, Flag) == 2
    assert client.get(f"/ideas/{ideas[2].public_id}/flag/").status_code == 200  # the form shows


# --- Follows ------------------------------------------------------------------------------------


def test_follows_over_the_limit_are_said_in_the_page_alerts(
    genios, sam, submit, client_for, ing, limits
):
    limits(follows="2/h/person")
    idea = submit()
    client = client_for(ing, sam)
    url = f"/ideas/{idea.public_id}/follow/"
    assert client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(url, {"follow": "0"}, HTTP_HX_REQUEST="true").status_code == 200
    response = client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert_limited(response, "followed and unfollowed a lot", window=3600)
    assert response["HX-Retarget"] == "#alerts"  # the button stays as it was
    assert "<html" not in response.text
    assert count(ing, Follow, user=sam) == 0
    page = client.post(url, {"follow": "1"})  # without htmx: a page that says it
    assert_limited(page, "followed and unfollowed a lot", window=3600)
    assert "<html" in page.text


# --- Search -------------------------------------------------------------------------------------

GALLERY = "/challenges/genios-del-ahorro/ideas/"


def test_search_is_limited_per_person_visitors_by_address(genios, submit, client_for, ing, limits):
    limits(search="3/m/person")
    submit()
    visitor = client_for(ing)
    assert visitor.get(GALLERY, {"q": "compras"}).status_code == 200
    assert visitor.get(f"{API_IDEAS}?q=ahorro").status_code == 200
    assert visitor.get(f"{GALLERY}similar/", {"title": "Redondea"}).status_code == 200
    assert_limited(visitor.get(GALLERY, {"q": "otra"}), "searched a lot", window=60)
    assert_limited(visitor.get(f"{API_IDEAS}?q=otra"), "searched a lot", window=60)
    assert visitor.get(GALLERY).status_code == 200  # browsing is not searching
    elsewhere = client_for(ing, REMOTE_ADDR="198.51.100.20")
    assert elsewhere.get(GALLERY, {"q": "compras"}).status_code == 200


def test_search_is_limited_per_network(genios, pat, sam, client_for, ing, limits):
    limits(search="100/m/person,3/m/network")
    office = {"REMOTE_ADDR": "203.0.113.10"}
    colleague = {"REMOTE_ADDR": "203.0.113.77"}  # the same /24
    for _ in range(2):
        assert client_for(ing, pat, **office).get(GALLERY, {"q": "ahorro"}).status_code == 200
    assert client_for(ing, sam, **colleague).get(GALLERY, {"q": "ahorro"}).status_code == 200
    response = client_for(ing, sam, **colleague).get(GALLERY, {"q": "ahorro"})
    assert_limited(response, "Many people on your network", window=60)
    home = {"REMOTE_ADDR": "198.51.100.20"}
    assert client_for(ing, sam, **home).get(GALLERY, {"q": "ahorro"}).status_code == 200


def test_the_message_speaks_the_persons_language(genios, sam, submit, client_for, ing, limits):
    limits(comments="1/10m/person")
    idea = submit()
    client = client_for(ing, sam, language="es")
    client.post(f"/ideas/{idea.public_id}/comments/", {"body": "Primero"})
    response = client.post(f"/ideas/{idea.public_id}/comments/", {"body": "Segundo"})
    assert response.status_code == 429
    assert "Estás comentando muy rápido" in response.text
    assert "Vuelve a intentarlo en" in response.text
    french = client_for(ing, sam, language="fr").post(
        f"/api/v1/ideas/{idea.public_id}/comments",
        json.dumps({"body": "Troisième"}),
        content_type="application/json",
    )
    assert french.status_code == 429
    assert "Réessayez dans" in french.json()["error"]["message"]
