"""The console's review step counts the jurors still to seat: a draft with an
empty jury is not "ready", though it may be published."""

import pytest
from django_scopes import scope

from campaigns import services as campaign_services
from campaigns.demo_challenges import genios_del_ahorro
from tests.campaigns.conftest import next_monday

pytestmark = pytest.mark.django_db

READY = "Everything is ready."


@pytest.fixture
def draft(ing, owner):
    with scope(tenant=ing):
        return campaign_services.campaign_create(
            tenant=ing, actor=owner, **genios_del_ahorro(next_monday())
        )


def test_an_empty_jury_is_a_warning_not_ready(ing, draft, owner, client_for):
    page = client_for(ing, owner).get(f"/console/challenges/{draft.slug}/").text
    assert READY not in page
    assert "0 of 3 jurors seated: seat 3 more jurors before the first round closes." in page
    assert f'href="/console/challenges/{draft.slug}/jury/"' in page
    # A warning, not a blocker: the publish button stays.
    assert f'action="/console/challenges/{draft.slug}/publish/' in page or "publish/" in page


def test_the_warning_is_translated(ing, draft, owner, client_for):
    page = client_for(ing, owner, language="es").get(f"/console/challenges/{draft.slug}/").text
    assert "Todo está listo." not in page
    assert "Jurado: 0 de 3 asignados. Asigna 3 miembros más" in page


def test_a_full_jury_makes_the_draft_ready(
    ing, draft, owner, chair, jorge, elena, seat, client_for
):
    seat(draft, chair)
    seat(draft, jorge)
    page = client_for(ing, owner).get(f"/console/challenges/{draft.slug}/").text
    assert "2 of 3 jurors seated: seat 1 more juror before the first round closes." in page
    seat(draft, elena)
    page = client_for(ing, owner).get(f"/console/challenges/{draft.slug}/").text
    assert READY in page
    assert "jurors seated" not in page
