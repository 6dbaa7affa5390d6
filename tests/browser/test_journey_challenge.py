"""A brand's owner launches "Genios del Ahorro" from the console in a real browser,
then finds it on the public home page, in Spanish; and the challenge page on a
phone."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from campaigns import services
from campaigns.demo_challenges import genios_del_ahorro
from campaigns.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def sign_in(page, client_for, tenant, user, tenant_url):
    """The owner's session cookie, as the sign-in would have set it."""
    client = client_for(tenant, user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": tenant_url(tenant),
            }
        ]
    )


def today_midnight_madrid() -> dt.datetime:
    today = timezone.now().astimezone(MADRID).date()
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=MADRID)


def test_owner_creates_previews_and_publishes_the_reference_challenge(
    ing, owner, page, client_for, tenant_url
):
    sign_in(page, client_for, ing, owner, tenant_url)
    page.goto(tenant_url(ing, "/console/"))
    expect(page.get_by_role("heading", name="Aún no hay ningún reto")).to_be_visible()
    page.get_by_role("link", name="Crea tu primer reto").click()

    # 1. The basics, with the live preview following the typing.
    page.get_by_label("Título", exact=True).fill("Genios del Ahorro")
    page.get_by_label("Resumen breve", exact=True).fill("Comparte tu mejor truco para ahorrar.")
    page.get_by_label("Descripción", exact=True).fill("Cuéntanos cómo ahorras en casa.")
    page.get_by_label("Temas", exact=True).fill("compras, hogar")
    preview = page.locator("#live-preview")
    expect(preview.get_by_role("heading", name="Genios del Ahorro")).to_be_visible()
    expect(preview).to_contain_text("Semana 1")
    page.get_by_role("button", name="Guardar y continuar").click()

    # 2. Who takes part: text up to 500 characters, image and video, post-moderation.
    expect(page.get_by_role("heading", name="Quién participa y cómo")).to_be_visible()
    page.get_by_label("Vídeo", exact=True).check()
    page.get_by_label("Texto más largo (caracteres)", exact=True).fill("500")
    page.get_by_label("Publicar al momento y moderar después", exact=True).check()
    page.get_by_role("button", name="Guardar y continuar").click()

    # 3. One month of weekly rounds, from today.
    start = today_midnight_madrid()
    end = start + dt.timedelta(days=28)
    page.get_by_label("Inicio", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin", exact=True).fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Cada semana", exact=True).check()
    page.get_by_role("button", name="Guardar y continuar").click()

    # 4. 500 € each week, 1500 € at the end, a jury of 3 with its rubric.
    page.get_by_label("Premio de cada ronda", exact=True).fill("500")
    page.get_by_label("Gran premio", exact=True).fill("1500")
    expect(preview).to_contain_text("otorga 500\u00a0€")
    for row, (name, weight) in enumerate(
        [("Originalidad", 40), ("Utilidad", 40), ("Claridad", 20)]
    ):
        page.locator(f"#id_criteria-{row}-name").fill(name)
        page.locator(f"#id_criteria-{row}-weight").fill(str(weight))
    page.get_by_label("Miembros del jurado", exact=True).fill("3")
    page.get_by_role("button", name="Guardar y continuar").click()

    # 5. The terms.
    page.get_by_label("Términos y condiciones", exact=True).fill(
        "Bases del concurso Genios del Ahorro."
    )
    page.get_by_role("button", name="Guardar y revisar").click()

    # Review: nothing blocks publishing, but the jury is still to seat; preview the
    # public page, then publish after the confirmation.
    expect(page.get_by_text("Jurado: 0 de 3 asignados.")).to_be_visible()
    expect(page.get_by_text("Todo está listo.")).to_have_count(0)
    page.get_by_role("link", name="Vista previa de la página pública").click()
    expect(page.get_by_text("Vista previa: así verá el público la página.")).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(
                r"el jurado elige la mejor de las 10 ideas más votadas de la semana y otorga 500\s€"
            )
        )
    ).to_be_visible()
    page.get_by_role("link", name="Volver a la consola").click()
    page.get_by_role("link", name="Publicar…").click()
    expect(page.get_by_role("heading", name="¿Publicar este reto?")).to_be_visible()
    page.get_by_role("button", name="Publicar ahora").click()
    expect(page.get_by_text("Publicado: el reto está abierto.")).to_be_visible()

    with scope(tenant=ing):
        campaign = Campaign.objects.get(slug="genios-del-ahorro")
        assert campaign.status == Campaign.Status.OPEN
        assert campaign.text_max_chars == 500 and campaign.allow_video
        assert campaign.rounds.filter(kind="weekly").count() == 4
        assert sorted(campaign.prizes.values_list("amount", flat=True)) == [500, 1500]
        assert list(campaign.criteria.values_list("weight", flat=True)) == [40, 40, 20]

    # The public home page, in Spanish: the challenge is open.
    page.goto(tenant_url(ing, "/"))
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("heading", name="Abierto ahora")).to_be_visible()
    card = page.locator(".card-open", has_text="Genios del Ahorro")
    expect(card).to_contain_text("Cada semana: 500\u00a0€")
    card.get_by_role("link", name="Genios del Ahorro").click()
    expect(page.get_by_role("heading", name="Genios del Ahorro", level=1)).to_be_visible()


def test_the_challenge_page_on_a_phone(ing, owner, phone, tenant_url):
    start = today_midnight_madrid() - dt.timedelta(days=today_midnight_madrid().weekday())
    with scope(tenant=ing):
        campaign = services.campaign_create(tenant=ing, actor=owner, **genios_del_ahorro(start))
        services.campaign_publish(campaign=campaign, actor=owner)

    phone.goto(tenant_url(ing, "/challenges/genios-del-ahorro/"))
    expect(phone.get_by_role("heading", name="Genios del Ahorro", level=1)).to_be_visible()
    expect(phone.get_by_role("link", name="Inicia sesión para participar")).to_be_visible()
    # The countdown script replaced the deadline with the time left.
    expect(phone.locator(".countdown-value")).to_have_text(
        re.compile(r"^(\d+\u00a0d )?(\d+\u00a0h )?\d+\u00a0min$")
    )
    # The rules are folded under the ideas' way in: one tap opens them.
    expect(phone.get_by_text("Cada domingo a las 23:59", exact=False)).to_be_hidden()
    phone.locator("#rules summary").click()
    expect(phone.get_by_text("Cada domingo a las 23:59", exact=False)).to_be_visible()
    # Nothing wider than the screen.
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
