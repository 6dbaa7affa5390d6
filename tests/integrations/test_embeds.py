"""Embeds: which sites may frame a brand's pages (per tenant, CSP
frame-ancestors on the embeddable pages only), signing in from a frame, and
oEmbed for pasted links."""

from urllib.parse import quote

import pytest
from django.test import Client
from django_scopes import scope

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from integrations import selectors, services
from tests.campaigns.conftest import this_monday

EMBED = "/embed/challenges/genios-del-ahorro/"


@pytest.fixture
def genios(ing, owner):
    with scope(tenant=ing):
        campaign = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        return campaign_services.campaign_publish(campaign=campaign, actor=owner)


@pytest.fixture
def idea(genios, ing, participant):
    with scope(tenant=ing):
        account_services.consent_accept(tenant=ing, user=participant, version=1, display_name="Pat")
        return idea_services.idea_submit(
            campaign=genios, author=participant, title="Redondea", body="Cada compra."
        )


def allow(tenant, *origins):
    with scope(tenant=tenant):
        services.embed_origins_set(tenant=tenant, origins=list(origins))


def csp(response) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts if p[0]}


# --- Allowed origins ---------------------------------------------------------------------


def test_origins_are_cleaned_and_bad_ones_refused(ing):
    allow(ing, "https://www.ING.example/", "http://localhost:8001", "https://www.ing.example", "")
    with scope(tenant=ing):
        assert selectors.embed_origins(tenant=ing) == [
            "https://www.ing.example",
            "http://localhost:8001",
        ]
        for bad in ("www.ing.example", "https://ing.example/page", "https://*.ing.example",
                    "ftp://ing.example", "https://ing.example:99999"):  # fmt: skip
            with pytest.raises(services.EmbedError) as refused:
                services.embed_origins_set(tenant=ing, origins=["https://ok.example", bad])
            assert "allowed_origins" in refused.value.fields
        # Nothing half-saved.
        assert selectors.embed_origins(tenant=ing) == [
            "https://www.ing.example",
            "http://localhost:8001",
        ]


def test_the_embed_page_may_be_framed_by_the_listed_origins_only(
    ing, decathlon, genios, client_for
):
    allow(ing, "https://www.ing.example", "http://localhost:8001")
    allow(decathlon, "https://www.decathlon.example")
    response = client_for(ing).get(EMBED)
    assert response.status_code == 200
    assert csp(response)["frame-ancestors"] == "https://www.ing.example http://localhost:8001"
    assert "X-Frame-Options" not in response
    assert "Genios del Ahorro" in response.content.decode()


def test_without_origins_no_site_may_frame(ing, genios, client_for):
    response = client_for(ing).get(EMBED)
    assert csp(response)["frame-ancestors"] == "'none'"


def test_other_pages_still_refuse_framing(ing, genios, client_for):
    allow(ing, "https://www.ing.example")
    response = client_for(ing).get("/challenges/genios-del-ahorro/")
    assert response["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == "'none'"


def test_gallery_and_winners_pages_and_the_language(ing, genios, client_for):
    allow(ing, "https://www.ing.example")
    for path in ("gallery/", "winners/"):
        response = client_for(ing).get(EMBED + path + "?lang=fr")
        assert response.status_code == 200
        assert (
            response["Content-Language"] == "fr" or '<html lang="fr">' in response.content.decode()
        )
        assert csp(response)["frame-ancestors"] == "https://www.ing.example"


def test_embed_of_a_draft_or_another_tenants_challenge_is_404(ing, decathlon, owner, client_for):
    with scope(tenant=ing):
        campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )  # a draft
    assert client_for(ing).get(EMBED).status_code == 404
    assert client_for(decathlon).get(EMBED).status_code == 404


# --- The console page ---------------------------------------------------------------------

PAGE = "/console/embeds/"


def test_console_page_personas(ing, owner, admin, moderator, participant, stranger, client_for):
    assert client_for(ing, owner).get(PAGE).status_code == 200
    assert client_for(ing, admin).get(PAGE).status_code == 200
    assert client_for(ing, moderator).get(PAGE).status_code == 403
    assert client_for(ing, participant).get(PAGE).status_code == 404
    assert client_for(ing, stranger).get(PAGE).status_code == 404
    assert client_for(ing).get(PAGE).status_code == 302


def test_console_saves_origins_and_shows_snippets(ing, owner, genios, client_for):
    client = client_for(ing, owner)
    response = client.post(PAGE, {"allowed_origins": "https://www.ing.example\nnot a site"})
    assert response.status_code == 400
    assert "not a site" in response.content.decode()
    with scope(tenant=ing):
        assert selectors.embed_origins(tenant=ing) == []
    assert client.post(PAGE, {"allowed_origins": "https://www.ing.example\n"}).status_code == 302
    with scope(tenant=ing):
        assert selectors.embed_origins(tenant=ing) == ["https://www.ing.example"]
    page = client.get(PAGE).content.decode()
    assert "http://ing.localhost/embed/challenges/genios-del-ahorro/gallery/" in page
    assert "integrations/embed/host.js" in page


# --- Signing in from the frame --------------------------------------------------------------

CLAIM = "a" * 48


def test_a_claim_becomes_a_partitioned_session_once(ing, genios, participant, client_for):
    allow(ing, "http://localhost:8001")
    frame = Client(HTTP_HOST="ing.localhost", enforce_csrf_checks=False)
    assert frame.post("/embed/session/", {"claim": CLAIM}).status_code == 204  # not yet

    popup = client_for(ing, participant)
    assert popup.get(f"/embed/signin/?claim={CLAIM}").url == "/embed/signin/done/"
    assert popup.get("/embed/signin/done/").status_code == 200

    answer = frame.post("/embed/session/", {"claim": CLAIM})
    assert answer.status_code == 200
    cookie = answer.cookies["sessionid"].output()
    assert "Partitioned" in cookie and "SameSite=None" in cookie and "Secure" in cookie
    assert frame.post("/embed/session/", {"claim": CLAIM}).status_code == 204  # used once


def test_a_claim_is_good_on_its_own_brand_only(ing, decathlon, participant, client_for):
    client_for(ing, participant).get(f"/embed/signin/?claim={CLAIM}")
    client_for(ing, participant).get("/embed/signin/done/")
    elsewhere = Client(HTTP_HOST="decathlon.localhost")
    assert elsewhere.post("/embed/session/", {"claim": CLAIM}).status_code == 204


def test_a_malformed_claim_is_a_400(ing, client_for):
    assert client_for(ing).get("/embed/signin/?claim=short").status_code == 400
    assert client_for(ing).post("/embed/session/", {"claim": "x"}).status_code == 400


# --- oEmbed ---------------------------------------------------------------------------------


def oembed(client, url, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/oembed?url={quote(url, safe='')}&format=json&{query}")


def test_oembed_of_a_challenge(ing, genios, client_for):
    response = oembed(client_for(ing), "http://ing.localhost/challenges/genios-del-ahorro/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["title"] == "Genios del Ahorro" and body["provider_name"] == "ING Direct"
    assert body["provider_url"] == "http://ing.localhost/"
    assert f'src="http://ing.localhost{EMBED}"' in body["html"]
    assert "integrations/embed/host.js" in body["html"]
    assert (body["width"], body["height"]) == (640, 720)
    smaller = oembed(client_for(ing), "http://ing.localhost/challenges/genios-del-ahorro/",
                     maxwidth=400, maxheight=300).json()  # fmt: skip
    assert (smaller["width"], smaller["height"]) == (400, 300)


def test_oembed_of_an_idea(ing, idea, client_for):
    response = oembed(client_for(ing), f"http://ing.localhost/ideas/{idea.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["type"], body["title"], body["author_name"]) == ("link", "Redondea", "Pat")


def test_oembed_unknown_url_and_other_tenant_are_404(ing, decathlon, genios, idea, client_for):
    client = client_for(ing)
    assert oembed(client, "http://ing.localhost/challenges/nothing-here/").status_code == 404
    assert oembed(client, "http://ing.localhost/no/such/page/").status_code == 404
    assert oembed(client, "http://ing.localhost/console/").status_code == 404  # not embeddable
    assert (
        oembed(client, "https://elsewhere.example/challenges/genios-del-ahorro/").status_code == 404
    )
    assert oembed(client, "not a url").status_code == 404
    # ING's challenge asked on Decathlon's host, and Decathlon's URL on ING's host.
    assert (
        oembed(
            client_for(decathlon), "http://ing.localhost/challenges/genios-del-ahorro/"
        ).status_code
        == 404
    )
    assert (
        oembed(client_for(decathlon), f"http://ing.localhost/ideas/{idea.public_id}/").status_code
        == 404
    )
    assert (
        oembed(client, "http://decathlon.localhost/challenges/genios-del-ahorro/").status_code
        == 404
    )
    assert client.get("/oembed?url=x&format=xml").status_code == 501


def test_pages_announce_their_oembed(ing, genios, idea, client_for):
    page = client_for(ing).get("/challenges/genios-del-ahorro/").content.decode()
    assert 'type="application/json+oembed"' in page
    assert "/oembed?url=http%3A%2F%2Fing.localhost%2Fchallenges%2Fgenios-del-ahorro%2F" in page
    page = client_for(ing).get(f"/ideas/{idea.public_id}/").content.decode()
    assert 'type="application/json+oembed"' in page
