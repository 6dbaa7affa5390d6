"""The guided challenge form fits the screen at every step, beside its live
preview on a laptop and above it on a phone: nothing scrolls sideways and
every field of the step is within the window."""

import pytest
from django_scopes import scope

from campaigns import forms, services

from .test_journey_challenge import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const form = document.querySelector('#step-form').getBoundingClientRect();
  const preview = document.querySelector('.preview-panel').getBoundingClientRect();
  const sideBySide = preview.top < form.bottom && preview.left >= form.left + 1;
  const controls = '#step-form :is(input, select, textarea, button)';
  const outside = [...document.querySelectorAll(controls)]
    .filter(el => el.type !== 'hidden' && el.getClientRects().length)
    .filter(el => {
      const r = el.getBoundingClientRect();
      return r.left < 0 || r.right > width + 0.5 || r.right > form.right + 0.5
        || (sideBySide && r.right > preview.left);
    })
    .map(el => el.id || el.name || el.tagName);
  return {scroll: document.documentElement.scrollWidth, width, outside};
}"""


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("step", [form.step for form in forms.STEPS])
def test_wizard_step_fits_the_window(ing, owner, browser, client_for, tenant_url, width, step):
    with scope(tenant=ing):
        campaign = services.campaign_create(
            tenant=ing, actor=owner, title="Genios del Ahorro", pitch="Comparte tu truco."
        )
    context = browser.new_context(locale="es-ES", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, client_for, ing, owner, tenant_url)
        page.goto(tenant_url(ing, f"/console/challenges/{campaign.slug}/edit/{step}/"))
        page.locator("#live-preview .panel").first.wait_for()
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], found
        assert found["outside"] == [], found
    finally:
        context.close()
