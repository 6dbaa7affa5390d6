"""The console's challenge pages: personas, the guided form, bad input, actions."""

import datetime as dt

import pytest
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEntry
from campaigns import services
from campaigns.models import Campaign, Prize
from tenants.models import Tenant
from tests.campaigns.conftest import MADRID, next_monday

pytestmark = pytest.mark.django_db

PERSONAS_READ = [("owner", 200), ("admin", 200), ("moderator", 200), ("juror", 403)]


def local_input(moment):
    return moment.astimezone(MADRID).strftime("%Y-%m-%dT%H:%M")


def campaigns_of(tenant):
    with scope(tenant=tenant):
        return list(Campaign.objects.order_by("pk"))


# --- Who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS_READ)
def test_team_sees_the_challenges_overview(ing, genios, persona, status, request, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(ing, user).get("/console/")
    assert response.status_code == status
    if status == 200:
        assert "Genios del Ahorro" in response.text


def test_outsiders_get_404_and_visitors_sign_in(ing, genios, participant, stranger, client_for):
    for url in ("/console/", "/console/challenges/genios-del-ahorro/", "/console/brand/"):
        assert client_for(ing, participant).get(url).status_code == 404
        assert client_for(ing, stranger).get(url).status_code == 404
        response = client_for(ing).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_tenants_challenge_is_404_in_its_own_console(
    genios, decathlon, stranger, client_for
):
    client = client_for(decathlon, stranger)
    for url in (
        "/console/challenges/genios-del-ahorro/",
        "/console/challenges/genios-del-ahorro/edit/basics/",
        "/console/challenges/genios-del-ahorro/preview/",
    ):
        assert client.get(url).status_code == 404
    assert client.post("/console/challenges/genios-del-ahorro/publish/").status_code == 404
    assert campaigns_of(genios.tenant)[0].status == Campaign.Status.DRAFT


def test_a_moderator_follows_but_cannot_change_or_publish(ing, genios, moderator, client_for):
    client = client_for(ing, moderator)
    page = client.get("/console/challenges/genios-del-ahorro/").text
    assert "Publicar" not in page
    assert client.get("/console/challenges/new/").status_code == 403
    assert client.get("/console/challenges/genios-del-ahorro/edit/basics/").status_code == 403
    assert client.post("/console/challenges/genios-del-ahorro/publish/").status_code == 403
    assert client.get("/console/brand/").status_code == 403
    assert client.get("/console/challenges/genios-del-ahorro/preview/").status_code == 200
    assert campaigns_of(ing)[0].status == Campaign.Status.DRAFT


def test_a_juror_sees_no_console(ing, genios, juror, client_for):
    client = client_for(ing, juror)
    assert client.get("/console/").status_code == 403
    assert client.get("/console/challenges/genios-del-ahorro/").status_code == 403
    assert client.post("/console/challenges/genios-del-ahorro/publish/").status_code == 403


def test_the_empty_console_explains_what_to_do_next(ing, owner, moderator, client_for):
    page = client_for(ing, owner).get("/console/").text
    assert "Aún no hay ningún reto" in page
    assert 'href="/console/challenges/new/"' in page
    page = client_for(ing, moderator).get("/console/").text
    assert 'href="/console/challenges/new/"' not in page


def test_the_overview_runs_a_constant_number_of_queries(
    ing, owner, make_challenge, ready_settings, client_for, django_assert_max_num_queries
):
    make_challenge(ing, owner, title="First", **ready_settings())
    client = client_for(ing, owner)
    with django_assert_max_num_queries(10) as few:
        assert client.get("/console/").status_code == 200
    for i in range(10):
        make_challenge(ing, owner, title=f"More {i}", **ready_settings())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/console/").text
    assert page.count("/console/challenges/more-") == 10


# --- The guided form ----------------------------------------------------------------------


def test_creating_a_challenge_step_by_step(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post(
        "/console/challenges/new/",
        {
            "title": "Genios del Ahorro",
            "pitch": "Tus trucos",
            "description": "Ahorra.",
            "themes": "casa, coche",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/challenges/genios-del-ahorro/edit/participation/"
    (campaign,) = campaigns_of(ing)
    assert campaign.themes == ["casa", "coche"]

    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/participation/",
        {
            "audience": "public",
            "allow_text": "on",
            "allow_image": "on",
            "allow_video": "on",
            "text_max_chars": "500",
            "image_max_mb": "10",
            "video_max_mb": "200",
            "video_max_seconds": "120",
            "moderation": "post",
            "flags_to_hide": "3",
        },
    )
    assert response["Location"].endswith("/edit/schedule/")

    start = next_monday()
    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/schedule/",
        {
            "starts_at": local_input(start),
            "ends_at": local_input(next_monday(weeks=4)),
            "cadence": "weekly",
            "voters": "audience",
            "votes_per_round": "",
            "show_vote_counts": "on",
            "round_covers": "submitted_in_round",
        },
    )
    assert response["Location"].endswith("/edit/prizes/")

    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/prizes/",
        prizes_form(weekly="500", grand="1500"),
    )
    assert response["Location"].endswith("/edit/terms/")

    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/terms/", {"terms_text": "Bases."}
    )
    assert response["Location"] == "/console/challenges/genios-del-ahorro/"

    (campaign,) = campaigns_of(ing)
    assert campaign.starts_at == start  # read on the tenant's clock (Madrid)
    with scope(tenant=ing):
        assert campaign.rounds.filter(kind="weekly").count() == 4
        assert sorted(campaign.prizes.values_list("round_kind", "amount")) == [
            ("grand", 1500),
            ("weekly", 500),
        ]
        assert list(campaign.criteria.values_list("name", "weight")) == [
            ("Originalidad", 40),
            ("Utilidad", 40),
            ("Claridad", 20),
        ]
    page = client.get("/console/challenges/genios-del-ahorro/").text
    # Ready to publish; the jury is seated from the jury's page (tests/juries/test_readiness.py).
    assert "Puedes publicar, pero el reto aún no está listo" in page
    assert "Jurado: 0 de 3 asignados." in page
    response = client.post("/console/challenges/genios-del-ahorro/publish/")
    assert response.status_code == 302
    assert campaigns_of(ing)[0].status == Campaign.Status.SCHEDULED


def prizes_form(weekly="", grand="", currency="EUR", criteria=None, **extra):
    criteria = criteria or [("Originalidad", 40), ("Utilidad", 40), ("Claridad", 20)]
    data = {
        "weekly_prize": weekly,
        "grand_prize": grand,
        "currency": currency,
        "split_rule": "author",
        "shortlist_size": "10",
        "weekly_winners_can_win_grand": "on",
        "jury_size": "3",
        "jury_blind": "on",
        "jury_guidance": "",
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "10",
    }
    for i in range(5):
        name, weight = criteria[i] if i < len(criteria) else ("", "")
        data.update(
            {
                f"criteria-{i}-name": name,
                f"criteria-{i}-description": "",
                f"criteria-{i}-weight": str(weight),
                f"criteria-{i}-scale_min": "1",
                f"criteria-{i}-scale_max": "10",
            }
        )
    data.update(extra)
    return data


# --- Bad input: form errors, never a 500, nothing written -----------------------------------


def schedule_form(starts_at, ends_at, **extra):
    return {
        "starts_at": local_input(starts_at),
        "ends_at": local_input(ends_at),
        "cadence": "weekly",
        "voters": "audience",
        "round_covers": "submitted_in_round",
        **extra,
    }


def test_end_before_start_is_a_form_error(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/edit/schedule/",
        schedule_form(next_monday(weeks=3), next_monday()),
    )
    assert response.status_code == 400
    assert "El final debe llegar después del inicio." in response.text
    assert campaigns_of(ing)[0].ends_at == genios.ends_at


def test_a_cadence_longer_than_the_challenge_is_a_form_error(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/edit/schedule/",
        schedule_form(
            next_monday(), next_monday() + dt.timedelta(days=20), cadence="days", cadence_days="30"
        ),
    )
    assert response.status_code == 400
    assert "Una ronda no puede durar más que el reto" in response.text
    assert campaigns_of(ing)[0].cadence == "weekly"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"weekly": "-500", "grand": "1500"}, "Un premio debe ser mayor que cero."),
        ({"weekly": "500", "currency": "BTC"}, "Elige una moneda admitida: EUR, USD, GBP, CHF."),
    ],
)
def test_bad_prizes_are_a_form_error_and_change_nothing(
    ing, genios, owner, client_for, form, message
):
    def prizes():
        with scope(tenant=ing):
            return sorted(Prize.objects.values_list("round_kind", "rank", "amount", "currency"))

    before = prizes()
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/edit/prizes/", prizes_form(**form)
    )
    assert response.status_code == 400
    assert message in response.text
    assert prizes() == before


def test_weights_that_do_not_add_up_are_a_form_error(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/edit/prizes/",
        prizes_form(weekly="500", criteria=[("Originalidad", 70), ("Utilidad", 40)]),
    )
    assert response.status_code == 400
    assert "deben sumar 100" in response.text


def test_a_slug_already_used_is_a_form_error(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/new/", {"title": "Otro", "slug": "genios-del-ahorro"}
    )
    assert response.status_code == 400
    assert "Otro reto tuyo ya usa esta dirección." in response.text
    assert len(campaigns_of(ing)) == 1


def test_garbage_dates_and_numbers_are_form_errors(ing, genios, owner, client_for):
    client = client_for(ing, owner)
    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/schedule/",
        {"starts_at": "yesterday", "ends_at": "2030-13-45T99:99", "cadence": "weekly"},
    )
    assert response.status_code == 400
    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/participation/",
        {"audience": "everyone", "text_max_chars": "lots"},
    )
    assert response.status_code == 400
    response = client.post("/console/challenges/genios-del-ahorro/edit/basics/", {"title": ""})
    assert response.status_code == 400
    assert campaigns_of(ing)[0].title == "Genios del Ahorro"


def test_the_address_is_fixed_once_published(ing, genios, owner, client_for):
    with scope(tenant=ing):
        services.campaign_publish(campaign=genios, actor=owner)
    client = client_for(ing, owner)
    page = client.get("/console/challenges/genios-del-ahorro/edit/basics/").text
    assert 'name="slug"' in page and "disabled" in page
    response = client.post(
        "/console/challenges/genios-del-ahorro/edit/basics/",
        {"title": "Genios del Ahorro 2030", "slug": "hijacked", "pitch": "x"},
    )
    assert response.status_code == 302
    (campaign,) = campaigns_of(ing)
    assert (campaign.title, campaign.slug) == ("Genios del Ahorro 2030", "genios-del-ahorro")


# --- The live preview ----------------------------------------------------------------------


def test_the_live_preview_follows_unsaved_values(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/live-preview/",
        {"_step": "prizes", **prizes_form(weekly="750", grand="3000", currency="USD")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment for htmx
    assert "750" in response.text and "$" in response.text
    with scope(tenant=ing):
        assert Prize.objects.get(round_kind="weekly").amount == 500  # nothing saved


def test_the_live_preview_of_a_new_challenge(ing, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/preview/", {"_step": "basics", "title": "Mi reto", "pitch": "Hola"}
    )
    assert response.status_code == 200
    assert "Mi reto" in response.text
    assert "Semana 1" in response.text
    assert campaigns_of(ing) == []


def test_the_live_preview_survives_bad_values(ing, genios, owner, client_for):
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/live-preview/",
        {
            "_step": "schedule",
            "starts_at": "nonsense",
            "ends_at": "2020-01-01T00:00",
            "cadence": "days",
        },
    )
    assert response.status_code == 200
    response = client_for(ing, owner).post(
        "/console/challenges/genios-del-ahorro/live-preview/", {"_step": "nope"}
    )
    assert response.status_code == 400


def test_the_full_preview_shows_the_public_page_of_a_draft(ing, genios, owner, client_for):
    page = client_for(ing, owner).get("/console/challenges/genios-del-ahorro/preview/").text
    assert "Vista previa" in page
    assert "Cada domingo a las 23:59" in page
    assert 'name="robots" content="noindex"' in page


# --- Actions with confirmation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "question", "closed_first", "status", "action"),
    [
        ("close", "¿Cerrar este reto ahora?", False, "closed", "campaign.close_early"),
        ("archive", "¿Archivar este reto?", True, "archived", "campaign.archive"),
    ],
)
def test_a_confirmed_step_asks_first_then_acts_with_the_reason(
    ing, open_genios, owner, client_for, step, question, closed_first, status, action
):
    if closed_first:
        with scope(tenant=ing):
            services.campaign_close(campaign=open_genios, actor=owner)
    before = campaigns_of(ing)[0].status
    client = client_for(ing, owner)
    assert question in client.get(f"/console/challenges/genios-del-ahorro/{step}/").text
    assert campaigns_of(ing)[0].status == before
    response = client.post(f"/console/challenges/genios-del-ahorro/{step}/", {"reason": "Motivo"})
    assert response.status_code == 302
    assert campaigns_of(ing)[0].status == status
    with scope(tenant=ing):
        assert AuditEntry.objects.get(action=action).reason == "Motivo"


def test_archiving_from_the_console_keeps_the_reason(ing, open_genios, owner, client_for):
    client = client_for(ing, owner)
    client.post("/console/challenges/genios-del-ahorro/close/", {"reason": "Presupuesto"})
    response = client.post(
        "/console/challenges/genios-del-ahorro/archive/", {"reason": "Temporada pasada"}
    )
    assert response.status_code == 302
    assert campaigns_of(ing)[0].status == Campaign.Status.ARCHIVED
    with scope(tenant=ing):
        assert AuditEntry.objects.get(action="campaign.archive").reason == "Temporada pasada"


def test_unpublish_is_refused_once_started_with_a_message(ing, open_genios, owner, client_for):
    client = client_for(ing, owner)
    response = client.post("/console/challenges/genios-del-ahorro/unpublish/", follow=True)
    assert response.status_code == 200
    assert "Este reto ya ha empezado: ciérralo antes de tiempo." in response.text
    assert campaigns_of(ing)[0].status == Campaign.Status.OPEN


def test_publish_with_problems_says_what_is_missing(ing, owner, make_challenge, client_for):
    make_challenge(ing, owner, title="Bare", slug="bare")
    client = client_for(ing, owner)
    page = client.get("/console/challenges/bare/").text
    assert "Antes de publicar" in page
    assert "Escribe un resumen breve" in page
    response = client.post("/console/challenges/bare/publish/", follow=True)
    assert response.status_code == 200
    assert campaigns_of(ing)[0].status == Campaign.Status.DRAFT


def test_duplicate_makes_a_draft_and_opens_its_form(ing, open_genios, owner, client_for):
    response = client_for(ing, owner).post("/console/challenges/genios-del-ahorro/duplicate/")
    assert response.status_code == 302
    assert response["Location"] == "/console/challenges/genios-del-ahorro-2/edit/basics/"
    assert [c.status for c in campaigns_of(ing)] == ["open", "draft"]


def test_invitation_links_from_the_console(ing, genios, owner, client_for):
    with scope(tenant=ing):
        services.campaign_update(campaign=genios, actor=owner, audience="invite_only")
    client = client_for(ing, owner)
    response = client.post(
        "/console/challenges/genios-del-ahorro/invitations/", {"label": "Newsletter"}
    )
    assert response.status_code == 302
    page = client.get("/console/challenges/genios-del-ahorro/").text
    assert "Newsletter" in page and "/challenges/genios-del-ahorro/invite/" in page


# --- Brand settings --------------------------------------------------------------------------


def brand_form(**changes):
    return {
        "name": "ING Direct",
        "default_language": "es",
        "languages": ["fr", "es", "en"],
        "time_zone": "Europe/Madrid",
        "primary_colour": "#ff6200",
        "accent_colour": "#525199",
        **changes,
    }


def test_brand_settings_are_saved(ing, owner, client_for):
    client = client_for(ing, owner)
    assert client.get("/console/brand/").status_code == 200
    response = client.post("/console/brand/", brand_form(name="ING", default_language="en"))
    assert response.status_code == 302
    tenant = Tenant.objects.get(pk=ing.pk)
    assert (tenant.name, tenant.default_language) == ("ING", "en")


def test_the_brand_page_says_when_the_main_colour_is_darkened_under_text(ing, owner, client_for):
    client = client_for(ing, owner)
    assert "contrast-note" not in client.get("/console/brand/").text  # ING's orange is kept
    client.post("/console/brand/", brand_form(primary_colour="#0082c3"))
    body = client.get("/console/brand/").text
    assert "lo oscurece ligeramente a #007cb9" in body


def test_bad_brand_settings_are_form_errors(ing, owner, client_for):
    response = client_for(ing, owner).post("/console/brand/", brand_form(primary_colour="orange"))
    assert response.status_code == 400
    assert "Usa un color como #ff6200." in response.text
    assert Tenant.objects.get(pk=ing.pk).primary_colour == "#ff6200"


def test_a_custom_domain_is_added_or_refused_clearly(ing, decathlon, owner, client_for):
    client = client_for(ing, owner)
    response = client.post("/console/brand/domains/", {"hostname": "ideas.ing.es"})
    assert response.status_code == 302
    assert "ideas.ing.es" in client.get("/console/brand/").text
    response = client.post("/console/brand/domains/", {"hostname": "decathlon.localhost"})
    assert response.status_code == 400
    assert "Este nombre de host ya está en uso." in response.text


def test_languages_offered_are_saved_and_must_hold_the_default(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post("/console/brand/", brand_form(languages=["es", "en"]))
    assert response.status_code == 302
    assert Tenant.objects.get(pk=ing.pk).languages == ["es", "en"]
    response = client.post("/console/brand/", brand_form(languages=["fr"], default_language="es"))
    assert response.status_code == 400
    assert Tenant.objects.get(pk=ing.pk).languages == ["es", "en"]


def test_a_custom_domain_becomes_the_main_address_then_is_removed(ing, owner, client_for):
    client = client_for(ing, owner)
    client.post("/console/brand/domains/", {"hostname": "ideas.ing.es"})
    response = client.post("/console/brand/domains/ideas.ing.es/primary/")
    assert response.status_code == 302
    with scopes_disabled():
        assert ing.domains.get(is_primary=True).hostname == "ideas.ing.es"
    confirm = client.get("/console/brand/domains/ideas.ing.es/remove/")
    assert confirm.status_code == 200
    assert "ideas.ing.es" in confirm.text
    with scopes_disabled():
        assert ing.domains.filter(hostname="ideas.ing.es").exists()  # asking changed nothing
    assert client.post("/console/brand/domains/ideas.ing.es/remove/").status_code == 302
    with scopes_disabled():
        assert list(ing.domains.values_list("hostname", "is_primary")) == [("ing.localhost", True)]


def test_the_platform_address_cannot_be_removed(ing, owner, client_for):
    client = client_for(ing, owner)
    response = client.post("/console/brand/domains/ing.localhost/remove/", follow=True)
    assert response.status_code == 200
    with scopes_disabled():
        assert ing.domains.filter(hostname="ing.localhost").exists()


def test_another_tenants_domain_is_404(ing, decathlon, owner, stranger, client_for):
    client = client_for(decathlon, stranger)
    assert client.post("/console/brand/domains/ing.localhost/primary/").status_code == 404
    assert client.get("/console/brand/domains/ing.localhost/remove/").status_code == 404


def test_a_moderator_cannot_touch_domains(ing, moderator, client_for):
    client = client_for(ing, moderator)
    assert client.post("/console/brand/domains/ing.localhost/primary/").status_code == 403


def test_publishing_asks_first_then_publishes(ing, genios, owner, client_for):
    client = client_for(ing, owner)
    review = client.get("/console/challenges/genios-del-ahorro/").text
    # The review links to the confirmation; nothing publishes from it in one click.
    assert 'href="/console/challenges/genios-del-ahorro/publish/"' in review
    assert 'action="/console/challenges/genios-del-ahorro/publish/"' not in review
    page = client.get("/console/challenges/genios-del-ahorro/publish/")
    assert page.status_code == 200
    assert "¿Publicar este reto?" in page.text
    assert "Su dirección queda fijada" in page.text
    assert "Jurado: 0 de 3 asignados." in page.text
    assert 'method="post"' in page.text and "Publicar ahora" in page.text
    assert campaigns_of(ing)[0].status == Campaign.Status.DRAFT
    response = client.post("/console/challenges/genios-del-ahorro/publish/")
    assert response.status_code == 302
    assert campaigns_of(ing)[0].status == Campaign.Status.SCHEDULED
    # Once published, the confirmation leads back to the challenge.
    again = client.get("/console/challenges/genios-del-ahorro/publish/")
    assert again["Location"] == "/console/challenges/genios-del-ahorro/"


@pytest.mark.parametrize(("persona", "status"), [("moderator", 403), ("stranger", 404)])
def test_only_managers_see_the_publish_confirmation(
    ing, genios, persona, status, request, client_for
):
    client = client_for(ing, request.getfixturevalue(persona))
    assert client.get("/console/challenges/genios-del-ahorro/publish/").status_code == status
    assert client.post("/console/challenges/genios-del-ahorro/publish/").status_code == status
    assert campaigns_of(ing)[0].status == Campaign.Status.DRAFT
