"""The vote button (htmx and plain forms), the consent gate on the way, the
gallery's query count, hidden totals and a round's ranking page."""

import datetime as dt
import json

from django.utils import timezone
from django_scopes import scope

from ideas.models import Idea
from voting import services
from voting.models import Vote

from .conftest import fresh

HTMX = {"HTTP_HX_REQUEST": "true"}


def vote_url(idea):
    return f"/ideas/{idea.public_id}/vote/"


def test_the_idea_page_shows_the_button_and_the_count(idea, make_voter, client_for):
    page = client_for(idea.tenant, make_voter()).get(idea.get_absolute_url()).text
    assert f'hx-post="{vote_url(idea)}"' in page
    assert f'id="vote-{idea.public_id}"' in page
    assert "0 votos" in page


def test_voting_with_htmx_swaps_the_button_with_the_new_count(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter())
    response = client.post(vote_url(idea), **HTMX)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<div class="vote" id="vote-{idea.public_id}"')
    assert "1 voto" in html and "¡Gracias por tu voto!" in html
    assert f'hx-post="{vote_url(idea)}withdraw/"' in html
    again = client.post(vote_url(idea), **HTMX).text
    assert "Ya has votado por esta idea." in again and "1 voto" in again
    assert fresh(idea).vote_count == 1


def test_withdrawing_with_htmx_brings_the_vote_button_back(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter())
    client.post(vote_url(idea), **HTMX)
    html = client.post(f"{vote_url(idea)}withdraw/", **HTMX).text
    assert "Tu voto se ha retirado." in html and "0 votos" in html
    assert f'hx-post="{vote_url(idea)}"' in html
    assert fresh(idea).vote_count == 0


def test_without_javascript_the_form_votes_and_comes_back_to_the_idea(idea, make_voter, client_for):
    client = client_for(idea.tenant, make_voter())
    response = client.post(vote_url(idea))
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    page = client.get(response.url).text
    assert "¡Gracias por tu voto!" in page and "Has votado" in page


def test_a_visitor_is_sent_to_sign_in_and_back(idea, client_for):
    client = client_for(idea.tenant)
    response = client.post(
        vote_url(idea), HTTP_HX_CURRENT_URL=f"http://ing.localhost{idea.get_absolute_url()}", **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert str(idea.public_id) in response["HX-Redirect"]
    assert fresh(idea).vote_count == 0


def test_a_person_without_the_terms_gets_them_inline_and_nothing_is_counted(
    idea, make_voter, client_for
):
    client = client_for(idea.tenant, make_voter(terms=False))
    response = client.post(vote_url(idea), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "body"
    assert "consent" in response.text
    assert fresh(idea).vote_count == 0


def test_a_refusal_is_said_in_the_button(idea, author, client_for):
    html = client_for(idea.tenant, author).post(vote_url(idea), **HTMX).text
    # The author's card says "your idea"; posting anyway is refused in words.
    assert "No puedes votar por tu propia idea." in html
    assert fresh(idea).vote_count == 0


def test_voting_too_fast_is_refused_in_words(idea, submit, make_voter, client_for, settings):
    settings.VOTING_RATE_LIMITS = {"person_per_minute": 1}
    other = submit(title="Otra idea distinta")
    client = client_for(idea.tenant, make_voter())
    client.post(vote_url(idea), **HTMX)
    html = client.post(vote_url(other), **HTMX).text
    assert "Estás votando muy rápido" in html
    assert fresh(other).vote_count == 0


def test_the_button_uses_the_address_behind_the_proxy(idea, make_voter, client_for, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    voter = make_voter()
    client_for(idea.tenant, voter).post(
        vote_url(idea), HTTP_X_FORWARDED_FOR="198.51.100.23", HTTP_USER_AGENT="Firefox", **HTMX
    )
    with scope(tenant=idea.tenant):
        assert Vote.objects.get(voter=voter).ip_network == "198.51.100.0/24"


def test_a_get_is_not_a_vote(idea, make_voter, client_for):
    assert client_for(idea.tenant, make_voter()).get(vote_url(idea)).status_code == 405


def test_another_tenants_people_get_404(idea, decathlon, stranger, client_for, make_voter):
    # The idea's address on the other tenant's host: unknown there.
    assert client_for(decathlon, stranger).post(vote_url(idea), **HTMX).status_code == 404
    # An unknown idea on the right host, too.
    missing = f"/ideas/{'0' * 8}-0000-4000-8000-{'0' * 12}/vote/"
    assert client_for(idea.tenant, make_voter()).post(missing).status_code == 404


def test_hidden_totals_hide_the_count_while_voting_is_open(
    make_campaign, submit, make_voter, client_for
):
    secret = make_campaign(slug="secreto", show_vote_counts=False)
    idea = submit(campaign=secret)
    client = client_for(idea.tenant, make_voter())
    html = client.post(vote_url(idea), **HTMX).text
    assert "¡Gracias por tu voto!" in html
    assert "1 voto" not in html
    assert fresh(idea).vote_count == 1  # still counted


def test_the_gallery_runs_the_same_queries_with_votes_on_every_card(
    genios, submit, make_voter, cast, client_for, django_assert_max_num_queries
):
    voter = make_voter()
    ideas = [submit(title=f"Truco de ahorro {n}") for n in range(3)]
    for idea in ideas:
        cast(idea, voter)
    client = client_for(genios.tenant, voter)
    url = "/challenges/genios-del-ahorro/ideas/?page_size=60"
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        page = client.get(url).text
    assert page.count("Has votado") == 3
    baseline = len(few.captured_queries)
    for n in range(20):
        idea = submit(title=f"Más trucos {n}")
        cast(idea, voter)
    with django_assert_max_num_queries(baseline):
        page = client.get(url).text
    assert page.count("Has votado") == 23


def _round_one(campaign):
    with scope(tenant=campaign.tenant):
        return campaign.rounds.get(index=1)


def test_the_ranking_page_is_live_then_frozen(genios, idea, submit, make_voter, cast, client_for):
    second = submit(title="Segunda idea")
    for voter in [make_voter() for _ in range(2)]:
        cast(second, voter)
    cast(idea, make_voter())
    round_ = _round_one(genios)
    url = f"/challenges/genios-del-ahorro/rounds/{round_.public_id}/ranking/"
    page = client_for(genios.tenant).get(url).text
    assert "En directo" in page
    assert page.index("Segunda idea") < page.index("Redondea tus compras")
    with scope(tenant=genios.tenant):
        services.ranking_freeze(round=round_, now=round_.voting_ends_at + dt.timedelta(seconds=1))
    page = client_for(genios.tenant).get(url).text
    assert "Definitiva" in page


def test_the_ranking_page_hides_a_live_ranking_when_totals_are_hidden(
    make_campaign, submit, make_voter, cast, client_for, owner
):
    secret = make_campaign(slug="secreto", show_vote_counts=False)
    cast(submit(campaign=secret), make_voter())
    round_ = _round_one(secret)
    url = f"/challenges/secreto/rounds/{round_.public_id}/ranking/"
    assert "Redondea tus compras" not in client_for(secret.tenant).get(url).text
    assert "Redondea tus compras" in client_for(secret.tenant, owner).get(url).text


def test_the_ranking_page_of_another_tenant_is_404(genios, decathlon, stranger, client_for):
    round_ = _round_one(genios)
    url = f"/challenges/genios-del-ahorro/rounds/{round_.public_id}/ranking/"
    assert client_for(decathlon, stranger).get(url).status_code == 404


def test_a_withdrawn_idea_shows_no_button(idea, author, make_voter, client_for):
    from ideas import services as idea_services

    with scope(tenant=idea.tenant):
        idea_services.idea_withdraw(idea=idea, actor=author)
        assert Idea.objects.get(pk=idea.pk).state == "withdrawn"
    page = client_for(idea.tenant, author).get(idea.get_absolute_url()).text
    assert f'hx-post="{vote_url(idea)}"' not in page


def test_votes_carry_the_time_they_were_cast(idea, make_voter, client_for):
    voter = make_voter()
    before = timezone.now()
    client_for(idea.tenant, voter).post(vote_url(idea), **HTMX)
    with scope(tenant=idea.tenant):
        assert Vote.objects.get(voter=voter).cast_at >= before


def test_a_coauthor_sees_no_vote_button_where_the_rule_would_refuse(
    idea, author, make_voter, client_for
):
    """The button asks the vote rule (co-authors share the prize): no button to
    click and be refused, in the gallery or on the idea's page."""
    from ideas import services as idea_services

    partner = make_voter()
    with scope(tenant=idea.tenant):
        invitation = idea_services.coauthor_invite(idea=idea, actor=author)
        idea_services.coauthor_accept(invitation=invitation, user=partner)
    client = client_for(idea.tenant, partner)
    for path in (idea.get_absolute_url(), f"/challenges/{idea.campaign.slug}/"):
        page = client.get(path).text
        button = page.split(f'id="vote-{idea.public_id}"', 1)[1].split("</div>", 1)[0]
        assert "vote-button" not in button, path
        assert "Tu idea" in button or "Your idea" in button, path
    stranger = client_for(idea.tenant, make_voter()).get(idea.get_absolute_url()).text
    assert "vote-button" in stranger.split(f'id="vote-{idea.public_id}"', 1)[1].split("</div>")[0]


def test_the_round_s_quota_shows_on_the_buttons_once_spent(
    make_campaign, submit, make_voter, cast, client_for, django_assert_max_num_queries
):
    """The refusal comes before the click: with the round's votes used up, the
    other buttons say so and are disabled, in one query for the whole page."""
    campaign = make_campaign(slug="cuota", votes_per_round=2)
    ideas = [submit(campaign=campaign, title=f"Truco {n}") for n in range(4)]
    voter = make_voter()
    client = client_for(campaign.tenant, voter)
    cast(ideas[0], voter)

    last = client.post(vote_url(ideas[1]), **HTMX)
    assert json.loads(last["HX-Trigger"]) == {
        "ruche:votes-left": {"campaign": str(campaign.public_id), "left": 0}
    }
    assert "Has votado" in last.text
    assert f'id="vote-control-{ideas[1].public_id}"' in last.text  # focus comes back to it

    url = f"/challenges/{campaign.slug}/ideas/?page_size=60"
    with django_assert_max_num_queries(60):
        page = client.get(url).text
    for spent in ideas[2:]:
        button = page.split(f'id="vote-control-{spent.public_id}"')[1].split("</button>")[0]
        assert " disabled>" in button and "No te quedan votos en esta ronda" in button
    assert page.count("Has votado") == 2
    refused = client.post(vote_url(ideas[2]), **HTMX).text
    assert "Has usado todos tus votos" in refused
    assert fresh(ideas[2]).vote_count == 0

    # A vote taken back gives one back: the buttons are live again.
    again = client.post(f"{vote_url(ideas[0])}withdraw/", **HTMX)
    assert json.loads(again["HX-Trigger"])["ruche:votes-left"]["left"] == 1
    assert " disabled>" not in client.get(url).text


def test_without_a_quota_or_signed_out_nothing_is_disabled(idea, make_voter, client_for):
    page = client_for(idea.tenant).get(idea.get_absolute_url()).text
    assert "vote-button" in page and " disabled>" not in page
    voter_page = client_for(idea.tenant, make_voter()).post(vote_url(idea), **HTMX)
    assert "HX-Trigger" not in voter_page
