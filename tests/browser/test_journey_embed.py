"""A brand's challenge embedded on another site (a page served on another
origin, with the console's snippet): a person signs in through the pop-up and
votes from inside the frame; a site the brand did not list cannot frame it."""

import http.server
import re
import threading

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from accounts import services as account_services
from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from ideas import services as idea_services
from integrations import services
from tests.campaigns.conftest import this_monday
from tests.conftest import BROWSER_WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class BrandSite:
    """The brand's own site: one page holding the embed snippet, on its own port."""

    def __init__(self, html: str):
        body = html.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def snippet_page(frame_url: str, host_script: str) -> str:
    return (
        "<!doctype html><html><head><title>Brand site</title></head><body>"
        "<h1>Our savings tips</h1>"
        f'<iframe src="{frame_url}" title="Genios" data-ruche-embed style="width:100%;border:0" '
        'height="300" onload="document.body.dataset.framed=\'yes\'"></iframe>'
        f'<script src="{host_script}" async></script></body></html>'
    )


@pytest.fixture
def embedded_genios(ing, owner, participant, make_user):
    with scope(tenant=ing):
        genios = campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(this_monday())
        )
        genios = campaign_services.campaign_publish(campaign=genios, actor=owner)
        sam = make_user("sam@example.com", display_name="Sam")
        for person, name in ((participant, "Pat"), (sam, "Sam")):
            account_services.consent_accept(tenant=ing, user=person, version=1, display_name=name)
        idea_services.idea_submit(
            campaign=genios, author=sam, title="Redondea tus compras", body="Cada compra."
        )
    return genios


def test_a_person_signs_in_and_votes_inside_the_frame(
    ing, participant, embedded_genios, page, tenant_url
):
    frame_url = tenant_url(ing, "/embed/challenges/genios-del-ahorro/?lang=en")
    html = snippet_page(frame_url, tenant_url(ing, "/static/integrations/embed/host.js"))
    with BrandSite(html) as site:
        with scope(tenant=ing):
            services.embed_origins_set(tenant=ing, origins=[site.origin])
        # The person reads the brand's own pages in English (the pop-up is one).
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": tenant_url(ing)}]
        )
        page.goto(site.origin)
        frame = page.frame_locator("iframe[data-ruche-embed]")
        expect(frame.get_by_role("heading", name="Genios del Ahorro")).to_be_visible()
        # host.js fits the frame to its content (it started at 300 px).
        expect(page.locator("iframe[data-ruche-embed]")).to_have_attribute(
            "style", re.compile(r"height: \d{4,}px")
        )

        with page.expect_popup() as popup_info:
            # The challenge's own button: in the frame, it opens the pop-up.
            frame.locator("#main").get_by_role("link", name="Sign in to take part").click()
        popup = popup_info.value
        popup.get_by_text("Sign in with a password").click()
        popup.locator("#id_login").fill(participant.email)
        popup.locator("#id_password").fill("pw-Secret-123")
        popup.locator("form.auth-form button[type=submit]").click()
        # The pop-up asks before the framed page may act as the person.
        # Listening before the click: the pop-up may close before a wait starts.
        with popup.expect_event("close", timeout=BROWSER_WAIT_MS):
            popup.get_by_role("button", name="Continue").click()

        # The frame asked for its session, got it, and reloaded signed in.
        expect(frame.get_by_text("Signed in as Pat")).to_be_visible()
        card = frame.locator("article", has_text="Redondea tus compras").first
        card.get_by_role("button", name="Vote").click()
        expect(card.get_by_text("You voted")).to_be_visible()


def test_a_site_not_listed_cannot_frame_the_challenge(ing, embedded_genios, page, tenant_url):
    frame_url = tenant_url(ing, "/embed/challenges/genios-del-ahorro/?lang=en")
    html = snippet_page(frame_url, tenant_url(ing, "/static/integrations/embed/host.js"))
    with BrandSite(html) as listed, BrandSite(html) as other:
        with scope(tenant=ing):
            services.embed_origins_set(tenant=ing, origins=[listed.origin])
        with page.expect_response(lambda r: "/embed/challenges/" in r.url) as answer:
            page.goto(other.origin)
        policy = answer.value.headers["content-security-policy"]
        assert f"frame-ancestors {listed.origin}" in policy and other.origin not in policy
        expect(page.locator("body")).to_have_attribute("data-framed", "yes")
        # The browser refused the frame: nothing of the challenge in it.
        frame = page.frame_locator("iframe[data-ruche-embed]")
        expect(frame.get_by_role("heading", name="Genios del Ahorro")).to_have_count(0)
        assert not any("/embed/challenges/" in f.url for f in page.frames[1:]), [
            f.url for f in page.frames
        ]
