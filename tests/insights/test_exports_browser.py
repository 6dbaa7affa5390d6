"""The owner downloads the ideas' XLSX from the console's "Exports" page in real
Chromium, at a phone's and a desktop's width (screenshots under the system's
temporary folder), and the file opens with openpyxl, its formula defused."""
# ruff: noqa: F811 - fixtures are parameters named like the fixtures imported

import io
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import expect

# Chromium, over this folder's `browser` (a dashboard visitor's test client).
from tests.conftest import browser  # noqa: F401

# The rewards tests' challenge and people (over this folder's dashboard fixtures).
from .exports_support import *  # noqa: F403

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir())


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


@pytest.mark.parametrize("width", [390, 1366])
def test_the_owner_downloads_the_ideas_as_xlsx(
    browser, genios, owner, make_idea, client_for, tenant_url, width
):
    make_idea(title="Redondea tus compras")
    make_idea(title='=HYPERLINK("http://x","y")')
    context = browser.new_context(
        locale="en-US", viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    try:
        sign_in(page, client_for, genios.tenant, owner, tenant_url)
        page.goto(tenant_url(genios.tenant, "/console/exports/"))
        expect(page.get_by_role("heading", name="Exports")).to_be_visible()
        page.get_by_label("Files for").select_option(genios.slug)
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_text("Files of the challenge “Genios del Ahorro”")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"insights-exports-{width}.png"), full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="XLSX · Ideas").click()
        download = download_info.value
        assert download.suggested_filename.startswith("ing-genios-del-ahorro-ideas-")
        workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
        assert rows[0][3] == "Título"  # ING's language
        titles = sorted(row[3] for row in rows[1:])
        assert titles == ['=HYPERLINK("http://x","y")', "Redondea tus compras"]
        formula = [c for row in workbook.active.iter_rows() for c in row if c.value == titles[0]]
        assert formula[0].data_type == "s"
    finally:
        context.close()
