# ruff: noqa: F401, F811
"""The brand's week in one journey: a week of "Genios del Ahorro" lived through
real page requests and the services, its figures folded as the beat does; then
the owner, in Chromium on a laptop, reads the challenge's dashboard, narrows it
to round 1, moves the most voted idea to "selected" (its author is told) and
downloads the ideas as XLSX, opened and checked here.

The story, on ING's clock (Madrid), D0 a Monday, D7 the next Monday (round 2):

D0   visitor A (iPhone, 10.0.0.1) opens the challenge from a Facebook share
     link, B (desktop, 10.0.0.2) from Google. Ana submits "Redondea tus
     compras", Bea "Congela el pan".
D1   A comes back; C (Firefox, 10.0.0.3) opens the challenge. Vic and Val vote
     for "Redondea tus compras", Ana for "Congela el pan"; Val comments on
     "Redondea tus compras".
D3   D (Android, 10.0.0.4) arrives from a WhatsApp share link. Carl submits
     "Ahorra cada semana"; Vic votes for "Congela el pan".
D7   E (desktop, 10.0.0.5) and F (Android, 10.0.0.6) open the challenge.

Hand-counted: 3 ideas, 4 votes, 1 comment, 5 people who took part (Ana, Bea,
Carl, Vic, Val); visitors are one per device and day: 2 + 2 + 1 = 5 in round 1,
7 over the whole challenge.
"""

import datetime as dt
import io
import tempfile
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_scopes import scope
from openpyxl import load_workbook
from playwright.sync_api import expect

from ideas import services as idea_services
from insights import services as insight_services
from notifications.models import Notification
from tests.browser.axe import assert_accessible
from tests.campaigns.conftest import this_monday
from tests.conftest import host_of
from tests.rewards.conftest import make_challenge, make_person
from voting import services as voting_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
# A Monday two weeks ahead (Madrid): the visitor salts live in Redis for days to come only.
D0 = (this_monday() + dt.timedelta(weeks=2)).date()
CHALLENGE = "/challenges/genios-del-ahorro/"
SHOTS = Path(tempfile.gettempdir())
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(D0 + dt.timedelta(days=day), dt.time(hour), tzinfo=MADRID)


def visit(tenant, path, ip, agent, **headers):
    """One page view by a signed-out visitor's browser (the visitor middleware counts it)."""
    client = Client(HTTP_HOST=host_of(tenant), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    assert client.get(path, **headers).status_code == 200


def cast(idea, voter):
    with scope(tenant=idea.tenant):
        idea.refresh_from_db()
        assert voting_services.vote_cast(idea=idea, voter=voter).changed


def submit(campaign, title, author):
    with scope(tenant=campaign.tenant):
        return idea_services.idea_submit(
            campaign=campaign, author=author, title=title, body="Un truco para ahorrar cada mes."
        )


def sign_in(page, client_for, tenant, user, tenant_url):
    """Signed in, reading the console in English (ING's site speaks Spanish)."""
    client = client_for(tenant, user)
    url = tenant_url(tenant)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": url},
        ]
    )


@pytest.fixture
def week(ing, make_challenge, make_person):
    """The module's story; returns the challenge, the ideas by title and Ana."""
    with time_machine.travel(at(0, 0), tick=False) as clock:
        genios = make_challenge(starts_at=at(0, 0))
        people = {name: make_person(name) for name in ("Ana", "Bea", "Carl", "Vic", "Val")}

        clock.move_to(at(0, 10))
        visit(ing, f"{CHALLENGE}?src=facebook", "10.0.0.1", IPHONE)
        visit(ing, CHALLENGE, "10.0.0.2", DESKTOP, HTTP_REFERER="https://www.google.com/")
        redondea = submit(genios, "Redondea tus compras", people["Ana"])
        congela = submit(genios, "Congela el pan", people["Bea"])

        clock.move_to(at(1, 11))
        visit(ing, CHALLENGE, "10.0.0.1", IPHONE)
        visit(ing, CHALLENGE, "10.0.0.3", FIREFOX)
        cast(redondea, people["Vic"])
        cast(redondea, people["Val"])
        cast(congela, people["Ana"])
        with scope(tenant=ing):
            idea_services.comment_post(idea=redondea, author=people["Val"], body="¡Muy buena!")

        clock.move_to(at(3, 18))
        visit(ing, f"{CHALLENGE}?src=whatsapp", "10.0.0.4", ANDROID)
        submit(genios, "Ahorra cada semana", people["Carl"])
        cast(congela, people["Vic"])

        clock.move_to(at(7, 9))
        visit(ing, CHALLENGE, "10.0.0.5", DESKTOP)
        visit(ing, CHALLENGE, "10.0.0.6", ANDROID)

        # The beat's fold, inline: the queued views into rows, each day's figures rebuilt.
        clock.move_to(at(7, 12))
        insight_services.visits_drain()
        with scope(tenant=ing):
            for offset in range(8):
                insight_services.figures_refresh(tenant=ing, day=D0 + dt.timedelta(days=offset))
    return genios, redondea, people["Ana"]


def figures(page) -> dict[str, str]:
    """The dashboard's counters, by their label."""
    stats = page.locator("dl.stats").first.locator(".stat")
    return {
        stats.nth(i).locator("dt").inner_text(): stats.nth(i).locator("dd").inner_text()
        for i in range(stats.count())
    }


def row_figure(table, heading):
    """The first figure of a table's row, found by the row's heading."""
    row = table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=heading))
    return row.get_by_role("cell").first


def test_the_owner_reads_the_week_selects_an_idea_and_downloads_it(
    ing, owner, week, browser, client_for, tenant_url
):
    genios, redondea, ana = week
    context = browser.new_context(
        locale="en-US", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    try:
        sign_in(page, client_for, ing, owner, tenant_url)

        # 1. The challenge's dashboard, from D0 to D7 (the challenge is yet to come by
        # the live server's clock, so the period is asked for).
        period = f"start={D0.isoformat()}&end={(D0 + dt.timedelta(days=7)).isoformat()}"
        page.goto(tenant_url(ing, f"/console/challenges/genios-del-ahorro/insights/?{period}"))
        expect(page.get_by_role("heading", name="Dashboard: Genios del Ahorro")).to_be_visible()
        assert figures(page) == {
            "People who took part": "5",
            "Ideas submitted": "3",
            "Votes": "4",
            "Comments": "1",
        }
        funnel = page.get_by_role("table", name="Each step of the challenge's funnel")
        expect(row_figure(funnel, "Visitors")).to_have_text("7")
        prizes = page.get_by_role("table", name="Prize money in EUR")
        expect(row_figure(prizes, "Promised")).to_have_text(
            "€3,500"
        )  # four weekly prizes of 500, the grand one 1,500
        top = page.get_by_role("table", name="The ideas with most votes in the period")
        expect(top.get_by_role("row").nth(1).get_by_role("rowheader")).to_have_text(
            "Redondea tus compras"
        )
        page.screenshot(path=str(SHOTS / "journey-dashboard-1366.png"), full_page=True)
        assert_accessible(page)

        # 2. Round 1 only (its own days): the same ideas and votes, D7's visitors left out.
        page.get_by_label("From", exact=True).fill("")
        page.get_by_label("To", exact=True).fill("")
        page.get_by_label("Round", exact=True).select_option(label="Round 1")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**round=*")
        expect(page.locator(".dashboard-period")).to_contain_text("Round 1")
        expect(row_figure(funnel, "Visitors")).to_have_text("5")
        expect(row_figure(prizes, "Promised")).to_have_text("€500")
        assert figures(page)["Ideas submitted"] == "3" and figures(page)["Votes"] == "4"
        page.screenshot(path=str(SHOTS / "journey-dashboard-round-1366.png"), full_page=True)

        # 3. "Redondea tus compras" moves to "selected" from the moderation list's bulk bar.
        page.goto(tenant_url(ing, "/console/moderation/?status=published"))
        page.get_by_label("Select “Redondea tus compras”").check()
        bar = page.get_by_role("group", name="What became of the selected ideas")
        bar.get_by_label("Stage", exact=True).select_option("selected")
        bar.get_by_role("button", name="Set the stage…").click()
        expect(page.get_by_role("heading", name="Move 1 idea to “Selected”?")).to_be_visible()
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_text("1 idea moved to Selected.")).to_be_visible()
        with scope(tenant=ing):
            told = Notification.objects.filter(recipient=ana, event="idea.stage_changed")
            assert [(n.context["idea_title"], n.context["stage"]) for n in told] == [
                (redondea.title, "selected")
            ]

        # 4. The ideas as XLSX, from the exports page.
        page.goto(tenant_url(ing, "/console/exports/"))
        page.get_by_label("Files for").select_option(genios.slug)
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_text("Files of the challenge “Genios del Ahorro”")).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="XLSX · Ideas").click()
        download = download_info.value
        assert download.suggested_filename.startswith("ing-genios-del-ahorro-ideas-")
        workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    finally:
        context.close()
    assert rows[0] == [
        "Identificador de la idea",
        "Reto",
        "Ronda",
        "Título",
        "Texto",
        "Tipo",
        "Estado",
        "Autor",
        "Etiquetas",
        "Votos",
        "Comentarios",
        "Enviada el",
        "Publicada el",
    ]  # fmt: skip  (ING's language; the export has no stage column)
    by_title = {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert sorted(by_title) == ["Ahorra cada semana", "Congela el pan", "Redondea tus compras"]
    selected = by_title["Redondea tus compras"]
    assert selected["Identificador de la idea"] == str(redondea.public_id)
    assert (selected["Ronda"], selected["Autor"], selected["Votos"], selected["Comentarios"]) == (
        "Semana 1",
        "Ana",
        2,
        1,
    )
