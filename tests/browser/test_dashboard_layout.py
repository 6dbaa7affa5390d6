# ruff: noqa: F401, F811
"""The brand's dashboard after a seeded week, on a laptop and on a phone: the
charts are drawn, nothing scrolls sideways, and every chart's figures are one
click away as a table. With INSIGHTS_SCREENSHOTS set to a folder, the pages
are saved there as PNG files to look at."""

import datetime as dt
import os

import pytest
from django.test import Client
from django_scopes import scope

from insights import services as insight_services
from tests.conftest import host_of
from tests.insights.test_selectors import MADRID, week
from tests.juries.conftest import first_round
from tests.rewards.conftest import genios, make_author, make_challenge, make_idea, make_person

from .test_journey_challenge import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
AGENTS = {
    "phone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "desktop": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
}


def visit(tenant, path, agent, ip):
    Client(HTTP_HOST=host_of(tenant), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent).get(path)


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_fits_and_draws_its_charts(
    ing, owner, genios, week, browser, client_for, tenant_url, width
):
    for n, (kind, source) in enumerate(
        [("phone", "facebook"), ("phone", "whatsapp"), ("desktop", "x"), ("desktop", "")]
    ):
        query = f"?src={source}" if source else ""
        visit(ing, f"/challenges/genios-del-ahorro/{query}", AGENTS[kind], f"10.0.0.{n + 1}")
    insight_services.visits_drain()
    monday = first_round(genios).starts_at.astimezone(MADRID).date()
    with scope(tenant=ing):
        for offset in range(7):
            insight_services.figures_refresh(tenant=ing, day=monday + dt.timedelta(days=offset))
    with scope(tenant=ing):
        first, second = [str(r.public_id) for r in genios.rounds.order_by("index")[:2]]
    period = f"start={monday.isoformat()}&end={(monday + dt.timedelta(days=6)).isoformat()}"
    dashboard = "/console/challenges/genios-del-ahorro/insights/"
    pages = {
        "challenge": f"{dashboard}?{period}",
        "compare": f"{dashboard}?round={first}&compare={second}",
        "brand": f"/console/insights/?{period}",
    }
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, client_for, ing, owner, tenant_url)
        for name, path in pages.items():
            page.goto(tenant_url(ing, path))
            page.locator("h1").wait_for()
            assert page.locator("svg.chart-svg polyline").count() >= 4
            scroll, window = page.evaluate(OVERFLOW)
            assert scroll <= window, (name, scroll, window)
            page.locator("details.chart-table summary").first.click()
            assert page.locator("details.chart-table table").first.is_visible()
            folder = os.environ.get("INSIGHTS_SCREENSHOTS")
            if folder:
                page.screenshot(
                    path=os.path.join(folder, f"dashboard-{name}-{width}.png"), full_page=True
                )
    finally:
        context.close()
