"""The tenant's home and the challenge pages, for every kind of visitor."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django_scopes import scope

from campaigns import services
from tests.campaigns.conftest import local_midnight, next_monday

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_home_lists_open_then_coming_then_past_challenges(
    ing, owner, open_genios, make_challenge, ready_settings, client_for
):
    make_challenge(
        ing,
        owner,
        title="Coming challenge",
        publish=True,
        starts_at=next_monday(weeks=2),
        ends_at=next_monday(weeks=4),
        **ready_settings(),
    )
    past = make_challenge(
        ing,
        owner,
        title="Past challenge",
        publish=True,
        starts_at=local_midnight(-2),
        ends_at=local_midnight(12),
        **ready_settings(),
    )
    with scope(tenant=ing):
        services.campaign_close(campaign=past, actor=owner)
    make_challenge(ing, owner, title="Secret draft")

    page = client_for(ing).get("/").text
    open_at = page.index("Genios del Ahorro")
    coming_at = page.index("Coming challenge")
    past_at = page.index("Past challenge")
    assert open_at < coming_at < past_at
    assert "Secret draft" not in page
    # Spanish by default on ING's site, money the Spanish way.
    assert "Abierto ahora" in page and "Próximamente" in page and "Retos anteriores" in page
    assert f"500{NBSP}€" in page


def test_archived_challenges_leave_the_home_page_but_keep_their_page(
    ing, owner, open_genios, client_for
):
    with scope(tenant=ing):
        services.campaign_close(campaign=open_genios, actor=owner)
        services.campaign_archive(campaign=open_genios, actor=owner)
    assert "Genios del Ahorro" not in client_for(ing).get("/").text
    assert client_for(ing).get("/challenges/genios-del-ahorro/").status_code == 200


def test_home_without_challenges_explains_and_invites_the_team(ing, owner, client_for):
    page = client_for(ing, owner).get("/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Todavía no hay ningún reto abierto" in page
    assert 'href="/console/challenges/new/"' in page
    assert 'href="/console/challenges/new/"' not in client_for(ing).get("/").text


def test_home_describes_the_brand_for_search_engines_in_its_language(ing, client_for):
    page = client_for(ing).get("/").text
    assert (
        '<meta name="description" content="Comparte tus ideas con ING Direct, vota las que '
        'más te gusten y gana premios.">'
    ) in page


def test_home_runs_a_constant_number_of_queries(
    ing, owner, make_challenge, ready_settings, client_for, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            make_challenge(
                ing,
                owner,
                title=f"Challenge {i}",
                publish=True,
                starts_at=local_midnight(-1),
                ends_at=local_midnight(27),
                **ready_settings(),
            )

    add(1)
    client = client_for(ing)
    with django_assert_max_num_queries(6) as few:
        assert client.get("/").status_code == 200
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/").text
    assert page.count('class="card card-open"') == 13


def test_the_challenge_page_shows_rules_prizes_timeline_and_countdown(open_genios, client_for):
    response = client_for(open_genios.tenant).get("/challenges/genios-del-ahorro/")
    assert response.status_code == 200
    page = response.text
    assert "Genios del Ahorro" in page
    assert (
        "Cada domingo a las 23:59, el jurado elige la mejor de las 10 ideas más votadas "
        f"de la semana y otorga 500{NBSP}€." in page
    )
    assert f"1500{NBSP}€" in page  # the grand prize
    assert 'aria-current="step"' in page  # the current round in the timeline
    assert "Semana 1" in page and "Gran final" in page
    assert "data-countdown" in page
    assert 'src="/static/campaigns/js/countdown.js"' in page
    assert "<script>" not in page  # strict CSP: no inline script
    assert 'href="#ideas"' not in page  # a visitor is asked to sign in first
    assert "/accounts/login/?next=/challenges/genios-del-ahorro/" in page


def test_the_challenge_page_carries_open_graph_tags(ing, owner, open_genios, client_for):
    from tests.campaigns.test_services import image_upload

    with scope(tenant=ing):
        services.campaign_update(campaign=open_genios, actor=owner, cover=image_upload())
    page = client_for(ing).get("/challenges/genios-del-ahorro/").text
    assert '<meta property="og:title" content="Genios del Ahorro">' in page
    assert (
        '<meta property="og:url" content="http://ing.localhost/challenges/genios-del-ahorro/">'
        in page
    )
    assert '<meta property="og:image" content="http://ing.localhost/media/campaigns/covers/' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_the_challenge_page_speaks_the_chosen_language(open_genios, client_for):
    client = client_for(open_genios.tenant)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/challenges/genios-del-ahorro/").text
    assert "Chaque dimanche à 23:59" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/challenges/genios-del-ahorro/").text
    assert "Every Sunday at 23:59" in page and "€500" in page


def test_a_signed_in_participant_is_invited_to_take_part(open_genios, participant, client_for):
    page = client_for(open_genios.tenant, participant).get("/challenges/genios-del-ahorro/").text
    hero = page.split('class="cta-row"')[1].split("</div>")[0]
    assert 'href="/challenges/genios-del-ahorro/ideas/new/"' in hero  # the form itself


def test_drafts_are_404_to_everyone_on_the_public_site(ing, genios, owner, client_for):
    assert client_for(ing).get("/challenges/genios-del-ahorro/").status_code == 404
    assert client_for(ing, owner).get("/challenges/genios-del-ahorro/").status_code == 404


def test_another_tenants_challenge_is_404(open_genios, decathlon, stranger, client_for):
    assert client_for(decathlon).get("/challenges/genios-del-ahorro/").status_code == 404
    assert client_for(decathlon, stranger).get("/challenges/genios-del-ahorro/").status_code == 404
    assert "Genios" not in client_for(decathlon).get("/").text


def test_invite_only_challenges_open_through_their_link(ing, owner, open_genios, client_for):
    with scope(tenant=ing):
        services.campaign_update(campaign=open_genios, actor=owner, audience="invite_only")
        invitation = services.invitation_create(campaign=open_genios, actor=owner)
    visitor = client_for(ing)
    assert visitor.get("/challenges/genios-del-ahorro/").status_code == 404
    assert "Genios" not in visitor.get("/").text
    assert visitor.get("/challenges/genios-del-ahorro/invite/wrong-token/").status_code == 404

    response = visitor.get(f"/challenges/genios-del-ahorro/invite/{invitation.token}/")
    assert response.status_code == 302
    assert response["Location"] == "/challenges/genios-del-ahorro/"
    assert visitor.get("/challenges/genios-del-ahorro/").status_code == 200
    assert "Genios del Ahorro" in visitor.get("/").text
    # The team always sees it.
    assert client_for(ing, owner).get("/challenges/genios-del-ahorro/").status_code == 200


def test_a_revoked_invitation_lets_nobody_new_in(ing, owner, open_genios, client_for):
    with scope(tenant=ing):
        services.campaign_update(campaign=open_genios, actor=owner, audience="invite_only")
        invitation = services.invitation_create(campaign=open_genios, actor=owner)
        services.invitation_revoke(invitation=invitation, actor=owner)
    url = f"/challenges/genios-del-ahorro/invite/{invitation.token}/"
    assert client_for(ing).get(url).status_code == 404


def test_employee_challenges_admit_the_brands_staff_and_the_extra_domains(
    ing, owner, open_genios, make_user, client_for
):
    from accounts import services as account_services

    with scope(tenant=ing):
        # The brand's staff, as its sign-in settings define them…
        account_services.signin_policy_update(
            tenant=ing, refuse_disposable_emails=False, staff_email_domains="ing.es", actor=owner
        )
        # …and, for this challenge only, a partner's people too.
        services.campaign_update(
            campaign=open_genios,
            actor=owner,
            audience="employees",
            employee_email_domains="partner.com",
        )
    employee = make_user("lucia@ing.es")
    partner = make_user("ana@partner.com")
    unverified = make_user("pablo@ing.es")
    outsider = make_user("sam@example.com")
    for user, verified in (
        (employee, True),
        (partner, True),
        (unverified, False),
        (outsider, True),
    ):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": verified}
        )

    url = "/challenges/genios-del-ahorro/"
    for allowed in (employee, partner):
        assert client_for(ing, allowed).get(url).status_code == 200
        assert "Genios" in client_for(ing, allowed).get("/").text
    for refused in (unverified, outsider):
        assert client_for(ing, refused).get(url).status_code == 404
        assert "Genios" not in client_for(ing, refused).get("/").text
    assert client_for(ing).get(url).status_code == 404
    page = client_for(ing, employee).get(url).text
    assert "Este reto es solo para empleados." in page


def test_a_coming_challenge_counts_down_to_its_start(ing, genios, owner, client_for):
    with scope(tenant=ing):
        services.campaign_publish(campaign=genios, actor=owner)
    page = client_for(ing).get("/challenges/genios-del-ahorro/").text
    assert "Próximamente" in page
    assert "El reto abre en" in page
    start = genios.starts_at.astimezone(dt.UTC)
    assert f'datetime="{start.astimezone(ing_tz(ing)).isoformat()}"' in page


def ing_tz(tenant):
    import zoneinfo

    return zoneinfo.ZoneInfo(tenant.time_zone)
