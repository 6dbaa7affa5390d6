"""The ways in that lead to what the person wanted: the challenge's hero
opens the idea form (through sign-in and the terms for a newcomer), a shared
idea's page offers the providers with the form as their destination, and
"Sign in to comment" ends on the comment box once the terms are accepted."""

from urllib.parse import parse_qs, urlparse

from tests.conftest import force_login_on

FORM = "/challenges/genios-del-ahorro/ideas/new/"


def login_next(html: str, marker: str) -> str:
    href = html.split(marker)[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    return parse_qs(urlparse(href).query)["next"][0]


def test_the_hero_opens_the_form_for_a_participant(genios, pat, client_for, ing):
    page = client_for(ing, pat).get("/challenges/genios-del-ahorro/").text
    hero = page.split('class="cta-row"')[1].split("</div>")[0]
    assert f'href="{FORM}"' in hero and "Share your idea" in hero


def test_the_hero_signs_a_visitor_in_and_back_to_the_form(genios, client_for, ing):
    page = client_for(ing).get("/challenges/genios-del-ahorro/").text
    hero = page.split('class="cta-row"')[1].split("</div>")[0]
    assert login_next(hero, ">Sign in to take part<") == FORM


def test_a_newcomer_signed_in_from_the_hero_accepts_the_terms_and_is_on_the_form(
    genios, make_user, client_for, ing
):
    client = client_for(ing)
    force_login_on(client, make_user("new@example.com"), ing)
    to_terms = client.get(FORM)
    assert to_terms.status_code == 302 and to_terms["Location"].startswith("/consent/?next=")
    accepted = client.post(
        "/consent/accept/",
        {"version": "1", "accept": "on", "display_name": "Neo", "next": FORM},
        HTTP_HX_REQUEST="true",
    )
    assert accepted["HX-Redirect"] == FORM
    assert client.get(FORM).status_code == 200


def test_a_shared_idea_offers_the_providers_with_the_form_as_destination(
    genios, submit, pat, client_for, ing
):
    idea = submit()
    visitor_page = client_for(ing).get(idea.get_absolute_url()).text
    join = visitor_page.split('class="panel join-in"')[1].split("</section>")[0]
    assert f'name="next" value="{FORM}"' in join
    assert 'action="/accounts/' in join
    # Signed in, the panel is gone.
    assert 'class="panel join-in"' not in client_for(ing, pat).get(idea.get_absolute_url()).text


def test_sign_in_to_comment_ends_on_the_comment_box(genios, submit, client_for, ing):
    idea = submit()
    page = client_for(ing).get(idea.get_absolute_url()).text
    after_sign_in = login_next(page, ">Sign in to comment<")
    assert after_sign_in.startswith("/consent/?next=")
    assert parse_qs(urlparse(after_sign_in).query)["next"][0] == (
        f"{idea.get_absolute_url()}#comment-body"
    )
